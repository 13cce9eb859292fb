package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// adminDeliveryCounts is GET /api/v1/admin/deliveries/counts: delivery jobs by
// state (states without jobs are absent).
func (a *API) adminDeliveryCounts(c echo.Context) error {
	counts, err := a.fed.Queue().DeliveryCounts(c.Request().Context())
	if err != nil {
		return errs.Internal(err)
	}
	return c.JSON(http.StatusOK, counts)
}
