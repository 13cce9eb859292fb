package api

import (
	"net/http"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

type createInviteRequest struct {
	MaxUses        *int `json:"max_uses"`
	ExpiresInHours int  `json:"expires_in_hours"`
}

// maxInviteHours caps invite lifetimes at a year.
const maxInviteHours = 365 * 24

// adminCreateInvite is POST /api/v1/admin/invites: a sign-up link for closed
// registration. max_uses defaults to 1; expires_in_hours 0 or absent means never.
func (a *API) adminCreateInvite(c echo.Context) error {
	var req createInviteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	maxUses := 1
	if req.MaxUses != nil {
		maxUses = *req.MaxUses
	}
	if req.ExpiresInHours < 0 || req.ExpiresInHours > maxInviteHours {
		return errs.Unprocessable("expires_in_hours must be from 0 (never) to %d", maxInviteHours)
	}
	inv, err := a.svc.Instance.CreateInvite(c.Request().Context(), caller(c), maxUses,
		time.Duration(req.ExpiresInHours)*time.Hour)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a.inviteView(inv))
}
