package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// adminDeliveryCounts is GET /api/v1/admin/deliveries/counts: delivery jobs by
// state (states without jobs are absent).
func (a *API) adminDeliveryCounts(c echo.Context) error {
	counts, err := a.svc.Admin.DeliveryCounts(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, counts)
}
