package frontend

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// contributionConfirmCredit is POST /contributions/:id/confirm-credit: a local
// account the offer named as co-contributor confirms it (see
// service.ConfirmCredit); until then it gets no ledger credit.
func (w *Web) contributionConfirmCredit(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	if _, err := w.svc.Communities.ConfirmCredit(c.Request().Context(), me, c.Param("id")); err != nil {
		return w.contributionFailure(c, err, func(d *contributionData, msg string) { d.Error = msg })
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+c.Param("id")+"?done=credit")
}
