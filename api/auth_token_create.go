package api

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

type createTokenRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

type createTokenResponse struct {
	Token string   `json:"token"`
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	User  userJSON `json:"user"`
}

// createToken is POST /api/v1/auth/token: log in with a password, get a bearer token.
func (a *API) createToken(c echo.Context) error {
	var req createTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Username) == "" || req.Password == "" {
		return errs.Unprocessable("username and password are required")
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" {
		req.Name = "api"
	}
	if len([]rune(req.Name)) > 100 {
		return errs.Unprocessable("token name is longer than 100 characters")
	}
	ctx := c.Request().Context()
	u, err := a.svc.Accounts.Authenticate(ctx, req.Username, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	secret, t, err := a.svc.Accounts.NewToken(ctx, u, req.Name)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, createTokenResponse{Token: secret, ID: t.ID, Name: t.Name, User: userView(u)})
}
