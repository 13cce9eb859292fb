package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// communityCommons is GET /api/v1/communities/{handle}/commons?q&limit&offset: the
// accepted contributions, newest first; X-Total-Count is the commons' size.
func (a *API) communityCommons(c echo.Context) error {
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, total, err := a.svc.Communities.Commons(ctx, group, c.QueryParam("q"), limit, offset)
	if err != nil {
		return err
	}
	out, err := a.contributionViews(ctx, list, group)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	return c.JSON(http.StatusOK, out)
}
