package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// confirmCredit is POST /api/v1/contributions/{id}/confirm_credit: a local
// account named as a co-contributor by the offer confirms it, and from then on
// gets ledger credit (at once if the contribution is already accepted). Anyone
// not named gets 403; an account already credited gets 409.
func (a *API) confirmCredit(c echo.Context) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := a.svc.Communities.ConfirmCredit(ctx, me, c.Param("id"))
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
