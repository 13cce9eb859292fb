package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type instanceSettingsJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Rules       []string `json:"rules"`
	Contact     string   `json:"contact"`
	Terms       string   `json:"terms"`
}

// adminInstanceSettings is GET /api/v1/admin/instance.
func (a *API) adminInstanceSettings(c echo.Context) error {
	i := a.svc.Instance.Info(c.Request().Context())
	return c.JSON(http.StatusOK, instanceSettingsJSON(i))
}

// adminSetInstanceSettings is PUT /api/v1/admin/instance (admins): replaces
// the instance information.
func (a *API) adminSetInstanceSettings(c echo.Context) error {
	var req instanceSettingsJSON
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	i, err := a.svc.Instance.SetInfo(c.Request().Context(), caller(c), service.InstanceInfo(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, instanceSettingsJSON(i))
}
