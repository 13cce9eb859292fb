package api

import "github.com/labstack/echo/v4"

// rejectFollowRequest is POST /api/v1/follow_requests/{id}/reject.
func (a *API) rejectFollowRequest(c echo.Context) error { return a.decideFollowRequest(c, false) }
