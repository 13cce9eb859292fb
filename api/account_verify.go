package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// verifyCredentials is GET /api/v1/accounts/verify_credentials: the caller.
func (a *API) verifyCredentials(c echo.Context) error {
	u := caller(c)
	act, err := a.svc.Accounts.ActorOf(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ownerView(u, act))
}
