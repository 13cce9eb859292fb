package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// timeline is GET /api/v1/timeline?max_id&limit: the caller's home timeline,
// newest first; pass the last entry's id as max_id for the next page.
func (a *API) timeline(c echo.Context) error {
	limit, err := queryInt(c, "limit", 40, 1, 100)
	if err != nil {
		return err
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Social.Timeline(c.Request().Context(), me, c.QueryParam("max_id"), limit)
	if err != nil {
		return err
	}
	out := make([]timelineEntryJSON, 0, len(list))
	for i := range list {
		out = append(out, a.timelineEntryView(&list[i]))
	}
	return c.JSON(http.StatusOK, out)
}
