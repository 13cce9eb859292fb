package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

type setWeightRequest struct {
	Weight *int `json:"weight"`
}

// setLedgerWeight is PUT /api/v1/communities/{handle}/ledger/{entry} {weight}:
// a maintainer weighs an entry within the charter's bounds (else 422).
func (a *API) setLedgerWeight(c echo.Context) error {
	var req setWeightRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Weight == nil {
		return errs.Unprocessable("weight is required")
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	if err := a.svc.Communities.SetWeight(c.Request().Context(), me, group, c.Param("entry"), *req.Weight); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
