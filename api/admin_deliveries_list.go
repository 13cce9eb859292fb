package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/queue"
	"github.com/labstack/echo/v4"
)

var deliveryStates = map[string]bool{
	queue.StatePending: true, queue.StateScheduled: true, queue.StateAvailable: true, queue.StateRunning: true,
	queue.StateRetryable: true, queue.StateCompleted: true, queue.StateCancelled: true, queue.StateDiscarded: true,
}

// adminListDeliveries is GET /api/v1/admin/deliveries?state&host&activity_id&limit:
// outgoing delivery jobs, newest first (admins and moderators).
func (a *API) adminListDeliveries(c echo.Context) error {
	limit, err := queryInt(c, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if state != "" && !deliveryStates[state] {
		return errs.BadRequest("query parameter state must be one of pending, scheduled, available, running, retryable, completed, cancelled, discarded")
	}
	list, err := a.fed.Queue().Deliveries(c.Request().Context(), queue.DeliveryFilter{
		State: state, Host: c.QueryParam("host"), ActivityID: c.QueryParam("activity_id"), Limit: limit})
	if err != nil {
		return errs.Internal(err)
	}
	return c.JSON(http.StatusOK, list)
}
