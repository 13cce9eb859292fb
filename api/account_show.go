package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showAccount is GET /api/v1/accounts/{username}: the public view of a local actor.
func (a *API) showAccount(c echo.Context) error {
	act, err := a.svc.Actors.LocalByHandle(c.Request().Context(), c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, accountView(act))
}
