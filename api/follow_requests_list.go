package api

import (
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// listFollowRequests is GET /api/v1/follow_requests?limit&offset: pending follows
// of the caller (accounts that approve followers manually), newest first.
func (a *API) listFollowRequests(c echo.Context) error {
	return a.followersInState(c, models.FollowPending)
}
