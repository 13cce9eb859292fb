package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type moderateDiscussionRequest struct {
	Action string `json:"action"`
}

// moderateDiscussion is POST /api/v1/communities/{handle}/discussions/{note}/moderate
// {action: remove|lock|unlock} (maintainers); the community federates it.
func (a *API) moderateDiscussion(c echo.Context) error {
	var req moderateDiscussionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	if err := a.svc.Communities.Moderate(c.Request().Context(), me, group, c.Param("note"), req.Action); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
