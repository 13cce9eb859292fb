package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

type tokensData struct {
	Tokens []models.APIToken
	Form   *form
	Secret string // a new token's secret, shown once
	Notice string
}

func (w *Web) tokensPage(c echo.Context, status int, u *models.User, d *tokensData) error {
	toks, err := w.svc.Accounts.Tokens(c.Request().Context(), u)
	if err != nil {
		return err
	}
	d.Tokens = toks
	if d.Form == nil {
		d.Form = newForm()
	}
	p := w.page(c, "API tokens")
	p.Data = d
	return w.render(c, status, "tokens", p)
}

func (w *Web) tokens(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	d := &tokensData{}
	if c.QueryParam("done") == "revoked" {
		d.Notice = "Token revoked."
	}
	return w.tokensPage(c, http.StatusOK, u, d)
}

// createToken issues a token and shows its secret on this response only (it is
// stored hashed, so the page cannot redirect and show it later).
func (w *Web) createToken(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	name := strings.TrimSpace(c.FormValue("name"))
	f.Values["name"] = name
	if name == "" || len([]rune(name)) > 100 {
		f.invalid("name", "give the token a name of 1 to 100 characters")
		return w.tokensPage(c, http.StatusUnprocessableEntity, u, &tokensData{Form: f})
	}
	secret, _, err := w.svc.Accounts.NewToken(c.Request().Context(), u, name)
	if err != nil {
		f.Error = errs.Message(err)
		return w.tokensPage(c, statusOf(err), u, &tokensData{Form: f})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return w.tokensPage(c, http.StatusCreated, u, &tokensData{Secret: secret})
}

func (w *Web) revokeToken(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	if err := w.svc.Accounts.RevokeToken(c.Request().Context(), u, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings/tokens?done=revoked")
}
