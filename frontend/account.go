package frontend

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// The account settings page (/settings/account): change the password (other
// sessions end), change the e-mail address, export one's data, delete the
// account. Each form asks for the current password; the service checks it.

type accountData struct {
	Email    string
	Password *form
	EmailF   *form
	Notice   string
}

var passwordFields = map[string]string{"current password": "current_password", "new password": "new_password", "meanwhile": "new_password"}
var emailFields = map[string]string{"password": "email_password", "email": "email"}

func (w *Web) accountPage(c echo.Context, status int, u *models.User, d *accountData) error {
	d.Email = u.Email
	if d.Password == nil {
		d.Password = newForm()
	}
	if d.EmailF == nil {
		d.EmailF = newForm()
		d.EmailF.Values["email"] = u.Email
	}
	p := w.page(c, "Account settings")
	p.Data = d
	return w.render(c, status, "account", p)
}

func (w *Web) accountSettings(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	d := &accountData{}
	switch c.QueryParam("saved") {
	case "password":
		d.Notice = "Password changed. Your other sessions have been logged out."
	case "email":
		d.Notice = "E-mail address changed."
	}
	return w.accountPage(c, http.StatusOK, u, d)
}

// accountPassword is POST /settings/password.
func (w *Web) accountPassword(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	_, s := w.current(c)
	next := c.FormValue("new_password")
	f := newForm()
	if next != c.FormValue("confirm_password") {
		f.Errors["confirm_password"] = "The two new passwords differ."
		return w.accountPage(c, http.StatusUnprocessableEntity, u, &accountData{Password: f})
	}
	if err := w.svc.Accounts.ChangePassword(c.Request().Context(), u, c.FormValue("current_password"), next, s.ID); err != nil {
		f.fail(err, passwordFields)
		if errs.Status(err) == http.StatusForbidden {
			f.Errors["current_password"] = errs.Message(err)
		}
		return w.accountPage(c, statusOf(err), u, &accountData{Password: f})
	}
	return c.Redirect(http.StatusSeeOther, "/settings/account?saved=password")
}

// accountEmail is POST /settings/email.
func (w *Web) accountEmail(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	f.Values["email"] = c.FormValue("email")
	if err := w.svc.Accounts.ChangeEmail(c.Request().Context(), u, c.FormValue("email_password"), f.Get("email")); err != nil {
		if errs.Status(err) == http.StatusForbidden {
			f.Errors["email_password"] = errs.Message(err)
		} else {
			f.fail(err, emailFields)
		}
		return w.accountPage(c, statusOf(err), u, &accountData{EmailF: f})
	}
	return c.Redirect(http.StatusSeeOther, "/settings/account?saved=email")
}

type forgotData struct {
	Enabled bool
	Form    *form
	Sent    bool
}

// forgotForm is GET /password/forgot: the form when the instance can send
// e-mail, otherwise how to get a link from an administrator.
func (w *Web) forgotForm(c echo.Context) error {
	p := w.page(c, "Forgot your password?")
	p.Data = forgotData{Enabled: w.svc.Accounts.PasswordResetByEmail(), Form: newForm()}
	return w.render(c, http.StatusOK, "password_forgot", p)
}

// forgot is POST /password/forgot. The page says the same whether the address
// belongs to an account or not.
func (w *Web) forgot(c echo.Context) error {
	f := newForm()
	f.Values["email"] = c.FormValue("email")
	err := w.svc.Accounts.RequestPasswordReset(c.Request().Context(), f.Get("email"), c.RealIP())
	p := w.page(c, "Forgot your password?")
	if err != nil {
		f.Error = errs.Message(err)
		if errs.Status(err) == http.StatusTooManyRequests {
			c.Response().Header().Set("Retry-After", "60")
		}
		p.Data = forgotData{Enabled: w.svc.Accounts.PasswordResetByEmail(), Form: f}
		return w.render(c, statusOf(err), "password_forgot", p)
	}
	p.Data = forgotData{Enabled: true, Form: f, Sent: true}
	return w.render(c, http.StatusOK, "password_forgot", p)
}

type resetData struct {
	Token string
	Valid bool
	Form  *form
}

// resetForm is GET /password/reset/:token. The token is in the path, so the
// page sends no Referer.
func (w *Web) resetForm(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	tok := c.Param("token")
	err := w.svc.Accounts.CheckResetToken(c.Request().Context(), tok)
	p := w.page(c, "Choose a new password")
	f := newForm()
	if err != nil {
		f.Error = errs.Message(err)
	}
	p.Data = resetData{Token: tok, Valid: err == nil, Form: f}
	return w.render(c, statusOf0(err), "password_reset", p)
}

// reset is POST /password/reset/:token: consumes the token and logs in.
func (w *Web) reset(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	tok := c.Param("token")
	pw := c.FormValue("new_password")
	f := newForm()
	p := w.page(c, "Choose a new password")
	if pw != c.FormValue("confirm_password") {
		f.Errors["confirm_password"] = "The two new passwords differ."
		p.Data = resetData{Token: tok, Valid: true, Form: f}
		return w.render(c, http.StatusUnprocessableEntity, "password_reset", p)
	}
	u, err := w.svc.Accounts.ResetPassword(c.Request().Context(), tok, pw)
	if err != nil {
		valid := errs.Status(err) != http.StatusNotFound
		if valid {
			f.Errors["new_password"] = errs.Message(err)
		} else {
			f.Error = errs.Message(err)
		}
		p.Data = resetData{Token: tok, Valid: valid, Form: f}
		return w.render(c, statusOf(err), "password_reset", p)
	}
	if err := w.startSession(c, u); err != nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Redirect(http.StatusSeeOther, "/settings/account?saved=password")
}

// statusOf0 is 200 for nil, else statusOf.
func statusOf0(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return statusOf(err)
}

// exportJSON is GET /settings/export.json: the user's data as a download.
func (w *Web) exportJSON(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	e, err := w.svc.UserData.Export(c.Request().Context(), u)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="commonsd-export.json"`)
	return c.JSONPretty(http.StatusOK, e, "  ")
}

// exportFollows is GET /settings/following.csv: Mastodon's follows import file.
func (w *Web) exportFollows(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	b, err := w.svc.UserData.FollowsCSV(c.Request().Context(), u)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="following_accounts.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}

type deleteData struct {
	Form *form
	Done bool
}

// deleteForm is GET /settings/delete: what deleting means, and the password
// to confirm it (no JavaScript: this page is the confirmation step).
func (w *Web) deleteForm(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	p := w.page(c, "Delete your account")
	p.Data = deleteData{Form: newForm()}
	return w.render(c, http.StatusOK, "account_delete", p)
}

// deleteAccount is POST /settings/delete.
func (w *Web) deleteAccount(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	if err := w.svc.UserData.Delete(c.Request().Context(), u, c.FormValue("password")); err != nil {
		if errs.Status(err) == http.StatusForbidden {
			f.Errors["password"] = errs.Message(err)
		} else {
			f.Error = errs.Message(err)
		}
		p := w.page(c, "Delete your account")
		p.Data = deleteData{Form: f}
		return w.render(c, statusOf(err), "account_delete", p)
	}
	c.SetCookie(w.cookie(sessionCookie, "", -1))
	c.Set(ctxUser, nil)
	c.Set(ctxSession, nil)
	p := w.page(c, "Account deleted")
	p.User = nil
	p.Data = deleteData{Done: true}
	return w.render(c, http.StatusOK, "account_delete", p)
}
