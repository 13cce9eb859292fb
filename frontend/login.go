package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

type loginData struct {
	Form *form
	Next string
}

func (w *Web) loginForm(c echo.Context) error {
	f := newForm()
	p := w.page(c, "Log in")
	p.Data = loginData{Form: f, Next: safeNext(c.QueryParam("next"))}
	return w.render(c, http.StatusOK, "login", p)
}

// login checks the credentials through the service (which rate-limits) and starts a
// session. Bad credentials (401), too many attempts (429) and pending or suspended
// accounts (403) are shown on the form with that status.
func (w *Web) login(c echo.Context) error {
	f := newForm()
	f.Values["login"] = strings.TrimSpace(c.FormValue("login"))
	next := safeNext(c.FormValue("next"))
	u, err := w.svc.Accounts.Authenticate(c.Request().Context(), f.Get("login"), c.FormValue("password"), c.RealIP())
	if err == nil {
		err = w.startSession(c, u)
	}
	if err != nil {
		f.Error = errs.Message(err)
		p := w.page(c, "Log in")
		p.Data = loginData{Form: f, Next: next}
		if errs.Status(err) == http.StatusTooManyRequests {
			c.Response().Header().Set("Retry-After", "60")
		}
		return w.render(c, statusOf(err), "login", p)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// statusOf is the status a form re-render gets: the service's, 422 by default.
func statusOf(err error) int {
	s := errs.Status(err)
	if s == http.StatusBadRequest {
		return http.StatusUnprocessableEntity
	}
	return s
}
