package api

import (
	"net/http"
	"strconv"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// adminListUsers is GET /api/v1/admin/users?limit&offset, newest first.
func (a *API) adminListUsers(c echo.Context) error {
	limit, err := queryInt(c, "limit", defaultPageSize, 1, maxPageSize)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0, 0, 1<<31-1)
	if err != nil {
		return err
	}
	us, err := a.svc.Accounts.List(c.Request().Context(), limit, offset)
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(us))
	for i := range us {
		out = append(out, userView(&us[i]))
	}
	return c.JSON(http.StatusOK, out)
}

// queryInt reads an optional integer query parameter within [lo, hi].
func queryInt(c echo.Context, name string, def, lo, hi int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errs.BadRequest("query parameter %s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}
