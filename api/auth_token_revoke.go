package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// revokeToken is DELETE /api/v1/auth/tokens/{id}: revoke one of the caller's tokens
// (404 for someone else's, so ids of other users' tokens cannot be probed).
func (a *API) revokeToken(c echo.Context) error {
	if err := a.svc.Accounts.RevokeToken(c.Request().Context(), caller(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
