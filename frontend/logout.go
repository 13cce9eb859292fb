package frontend

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// logout ends the session (POST only; the middleware checks the form token).
func (w *Web) logout(c echo.Context) error {
	if _, s := w.current(c); s == nil {
		c.SetCookie(w.cookie(sessionCookie, "", -1))
		return c.Redirect(http.StatusSeeOther, "/")
	}
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := w.svc.Accounts.EndSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(w.cookie(sessionCookie, "", -1))
	return c.Redirect(http.StatusSeeOther, "/")
}
