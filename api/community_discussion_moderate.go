package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type moderateDiscussionRequest struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

// moderateDiscussion is POST /api/v1/communities/{handle}/discussions/{note}/moderate
// {action: remove|lock|unlock, reason} (maintainers); the community federates
// it. A removal takes a reason, sent to the post's author.
func (a *API) moderateDiscussion(c echo.Context) error {
	var req moderateDiscussionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	if req.Action == "remove" {
		err = a.svc.Communities.RemovePost(c.Request().Context(), me, group, c.Param("note"), req.Reason)
	} else {
		err = a.svc.Communities.Moderate(c.Request().Context(), me, group, c.Param("note"), req.Action)
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
