package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// acceptContribution is POST /api/v1/contributions/{id}/accept (maintainers): the
// contribution joins the commons and every contributor gets a ledger entry.
func (a *API) acceptContribution(c echo.Context) error {
	return a.decideContribution(c, true, "")
}

// decideContribution accepts or rejects and renders the result.
func (a *API) decideContribution(c echo.Context, accept bool, reason string) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := a.svc.Communities.Decide(ctx, me, c.Param("id"), accept, reason)
	if err != nil {
		return err
	}
	group, err := a.svc.Actors.ByID(ctx, co.CommunityID)
	if err != nil {
		return err
	}
	v, err := a.contributionView(ctx, co, group)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
