package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type signupData struct {
	Info    instanceInfo
	Form    *form
	Open    bool // a form is shown (closed instances need an invite)
	Pending bool // signed up, waiting for approval
}

// signupFields places service messages next to the sign-up inputs.
var signupFields = map[string]string{
	"handle": "username", "username": "username", "email": "email", "password": "password",
	"moderators why": "reason", "invite": "invite",
}

func (w *Web) signupData(c echo.Context, f *form) (*signupData, error) {
	info, err := w.instanceInfo(c)
	if err != nil {
		return nil, err
	}
	d := &signupData{Info: info, Form: f}
	// The first account may always be created (it becomes the admin); otherwise a
	// closed instance only shows the form to holders of an invite link.
	d.Open = info.Mode != "closed" || f.Get("invite") != "" || info.Stats.Users == 0
	return d, nil
}

func (w *Web) signupForm(c echo.Context) error {
	f := newForm()
	f.Values["invite"] = c.QueryParam("invite")
	d, err := w.signupData(c, f)
	if err != nil {
		return err
	}
	p := w.page(c, "Sign up")
	p.Data = d
	return w.render(c, http.StatusOK, "signup", p)
}

func (w *Web) signup(c echo.Context) error {
	f := newForm()
	for _, k := range []string{"username", "email", "reason", "invite"} {
		f.Values[k] = strings.TrimSpace(c.FormValue(k))
	}
	u, err := w.svc.Accounts.SignUp(c.Request().Context(), service.Registration{
		Username: f.Get("username"), Email: f.Get("email"), Password: c.FormValue("password"),
		Reason: f.Get("reason"), InviteCode: f.Get("invite"),
	})
	d, derr := w.signupData(c, f)
	if derr != nil {
		return derr
	}
	p := w.page(c, "Sign up")
	p.Data = d
	if err != nil {
		f.fail(err, signupFields)
		return w.render(c, statusOf(err), "signup", p)
	}
	if !u.Approved {
		d.Pending = true
		return w.render(c, http.StatusOK, "signup", p)
	}
	if err := w.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
