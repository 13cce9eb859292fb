package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// listTokens is GET /api/v1/auth/tokens: the caller's tokens, never their secrets.
func (a *API) listTokens(c echo.Context) error {
	ts, err := a.svc.Accounts.Tokens(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	out := make([]tokenJSON, 0, len(ts))
	for i := range ts {
		out = append(out, tokenView(&ts[i]))
	}
	return c.JSON(http.StatusOK, out)
}
