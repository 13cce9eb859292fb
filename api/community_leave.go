package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// leaveCommunity is POST /api/v1/communities/{handle}/leave (a remote community is
// sent a Leave). The last steward cannot leave.
func (a *API) leaveCommunity(c echo.Context) error {
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if err := a.svc.Communities.Leave(c.Request().Context(), me, group); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
