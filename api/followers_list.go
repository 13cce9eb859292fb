package api

import (
	"net/http"

	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// listFollowers is GET /api/v1/followers?limit&offset: the caller's accepted
// followers, newest first.
func (a *API) listFollowers(c echo.Context) error {
	return a.followersInState(c, models.FollowAccepted)
}

func (a *API) followersInState(c echo.Context, state string) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Social.Followers(c.Request().Context(), me, state, limit, offset)
	if err != nil {
		return err
	}
	out := make([]followJSON, 0, len(list))
	for i := range list {
		out = append(out, a.followerView(&list[i].Follow, list[i].Actor))
	}
	return c.JSON(http.StatusOK, out)
}
