package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showContribution is GET /api/v1/contributions/{id}: a contribution with its
// contributors and review comments (public, as its ActivityPub object is).
func (a *API) showContribution(c echo.Context) error {
	ctx := c.Request().Context()
	co, group, err := a.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	v, err := a.contributionView(ctx, co, group)
	if err != nil {
		return err
	}
	comments, err := a.svc.Communities.Comments(ctx, co.ID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(comments))
	for _, rc := range comments {
		ids = append(ids, rc.AuthorID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	v.Comments = make([]commentJSON, 0, len(comments))
	for i := range comments {
		v.Comments = append(v.Comments, commentView(&comments[i], refs[comments[i].AuthorID]))
	}
	return c.JSON(http.StatusOK, v)
}
