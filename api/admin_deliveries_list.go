package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// adminListDeliveries is GET /api/v1/admin/deliveries?state&host&activity_id&limit:
// outgoing delivery jobs, newest first (admins and moderators).
func (a *API) adminListDeliveries(c echo.Context) error {
	limit, err := queryInt(c, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	list, err := a.svc.Admin.Deliveries(c.Request().Context(), caller(c), service.DeliveryFilter{
		State: c.QueryParam("state"), Host: c.QueryParam("host"), ActivityID: c.QueryParam("activity_id"), Limit: limit})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
