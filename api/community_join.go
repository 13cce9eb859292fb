package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// joinCommunity is POST /api/v1/communities/{handle}/join. A local community
// decides by its membership policy; a remote one is sent a Join and the membership
// stays pending until it answers.
func (a *API) joinCommunity(c echo.Context) error {
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	m, err := a.svc.Communities.Join(c.Request().Context(), me, group, "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.memberView(m, me))
}
