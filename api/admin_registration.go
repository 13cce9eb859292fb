package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type registrationJSON struct {
	Mode string `json:"mode"`
}

// adminSetRegistration is PUT /api/v1/admin/registration {mode}: open, approval or
// closed (admins only, the service decides).
func (a *API) adminSetRegistration(c echo.Context) error {
	var req registrationJSON
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := a.svc.Instance.SetRegistrationMode(ctx, caller(c), req.Mode); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, registrationJSON{Mode: a.svc.Instance.RegistrationMode(ctx)})
}
