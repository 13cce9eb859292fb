package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type createAccountRequest struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Reason   string `json:"reason"`
	Invite   string `json:"invite"`
}

// createAccount is POST /api/v1/accounts: sign up under the registration mode.
func (a *API) createAccount(c echo.Context) error {
	var req createAccountRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := a.svc.Accounts.SignUp(ctx, service.Registration{Username: req.Username, Email: req.Email,
		Password: req.Password, Reason: req.Reason, InviteCode: req.Invite})
	if err != nil {
		return err
	}
	act, err := a.svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/accounts/"+u.Username)
	return c.JSON(http.StatusCreated, ownerView(u, act))
}
