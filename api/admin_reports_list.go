package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// adminListReports is GET /api/v1/admin/reports?limit&offset: reports (Flags)
// received, newest first (admins and moderators).
func (a *API) adminListReports(c echo.Context) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Social.Reports(c.Request().Context(), caller(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]reportJSON, 0, len(list))
	for i := range list {
		out = append(out, a.reportView(&list[i]))
	}
	return c.JSON(http.StatusOK, out)
}
