package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// authorizeFollowRequest is POST /api/v1/follow_requests/{id}/authorize.
func (a *API) authorizeFollowRequest(c echo.Context) error { return a.decideFollowRequest(c, true) }

// decideFollowRequest answers a pending follow of the caller; the follower's
// server gets an Accept or a Reject.
func (a *API) decideFollowRequest(c echo.Context, accept bool) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	if err := a.svc.Social.Decide(c.Request().Context(), me, c.Param("id"), accept); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
