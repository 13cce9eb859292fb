package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type createFollowRequest struct {
	Target string `json:"target"`
}

// createFollow is POST /api/v1/follows: follow "@name@host", "name@host" or an
// actor URL. A remote follow stays pending until the other server accepts it.
func (a *API) createFollow(c echo.Context) error {
	var req createFollowRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	f, target, err := a.svc.Social.FollowByHandle(c.Request().Context(), me, req.Target)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a.followingView(f, target))
}
