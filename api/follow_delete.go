package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// deleteFollow is DELETE /api/v1/follows/{id}: unfollow (or withdraw a pending
// request). Someone else's follow is a 404.
func (a *API) deleteFollow(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	if err := a.svc.Social.UnfollowByID(c.Request().Context(), me, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
