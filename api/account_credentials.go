package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword is POST /api/v1/accounts/me/password: every browser session
// of the account ends (API tokens stay; revoke them under /auth/tokens).
func (a *API) changePassword(c echo.Context) error {
	var req changePasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := a.svc.Accounts.ChangePassword(c.Request().Context(), caller(c), req.CurrentPassword, req.NewPassword, ""); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type changeEmailRequest struct {
	Password string `json:"password"`
	Email    string `json:"email"`
}

// changeEmail is POST /api/v1/accounts/me/email.
func (a *API) changeEmail(c echo.Context) error {
	var req changeEmailRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	u := caller(c)
	if err := a.svc.Accounts.ChangeEmail(c.Request().Context(), u, req.Password, req.Email); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userView(u))
}

type passwordResetRequest struct {
	Email string `json:"email"`
}

// requestPasswordReset is POST /api/v1/auth/password_reset: 202 whether the
// address is known or not.
func (a *API) requestPasswordReset(c echo.Context) error {
	var req passwordResetRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := a.svc.Accounts.RequestPasswordReset(c.Request().Context(), req.Email, c.RealIP()); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{
		"message": "If an account uses that address, a reset link is on its way."})
}

type confirmPasswordResetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// confirmPasswordReset is POST /api/v1/auth/password_reset/confirm: sets the
// password with a reset token (the last part of the link).
func (a *API) confirmPasswordReset(c echo.Context) error {
	var req confirmPasswordResetRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if _, err := a.svc.Accounts.ResetPassword(c.Request().Context(), req.Token, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
