package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type commentContributionRequest struct {
	Body           string `json:"body"`
	RequestChanges bool   `json:"request_changes"`
}

// commentContribution is POST /api/v1/contributions/{id}/comments: maintainers
// review (and may request changes); the contributor answers.
func (a *API) commentContribution(c echo.Context) error {
	var req commentContributionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	rc, err := a.svc.Communities.Comment(c.Request().Context(), me, c.Param("id"), req.Body, req.RequestChanges)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, commentView(rc, a.actorRef(me)))
}
