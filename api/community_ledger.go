package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// communityLedger is GET /api/v1/communities/{handle}/ledger?limit&offset: the
// contributor ledger (public, like its ActivityPub collection); X-Total-Count is
// the number of entries.
func (a *API) communityLedger(c echo.Context) error {
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, total, err := a.svc.Communities.Ledger(ctx, group, limit, offset)
	if err != nil {
		return err
	}
	out, err := a.ledgerViews(ctx, list)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	return c.JSON(http.StatusOK, out)
}
