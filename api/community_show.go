package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showCommunity is GET /api/v1/communities/{handle}: a local community by handle,
// or a remote one by @name@host or URL (resolved for logged-in callers; what this
// instance knows of it, settings null).
func (a *API) showCommunity(c echo.Context) error {
	group, com, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	v, err := a.communityView(c.Request().Context(), group, com, true, me)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
