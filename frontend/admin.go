package frontend

import (
	"net/http"
	"strconv"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

const adminPageSize = 50

type adminData struct {
	Users    []models.User
	Invites  []models.Invite
	Mode     string
	Modes    []string
	Roles    []string
	IsAdmin  bool
	Error    string
	Notice   string
	Page     int
	NextPage int
	Base     string // public URL, for invite links
}

// staff returns the logged-in admin or moderator; members get 403. Moderators see the
// page but only the actions the service lets them take (approve, suspend, invite).
func (w *Web) staff(c echo.Context) (*models.User, error) {
	u, err := w.requireUser(c)
	if u == nil {
		return nil, err
	}
	if u.Role != models.RoleAdmin && u.Role != models.RoleModerator {
		return nil, errs.Forbidden("only admins and moderators may open the admin page")
	}
	return u, nil
}

func (w *Web) adminPage(c echo.Context, status int, u *models.User, msg, notice string) error {
	ctx := c.Request().Context()
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	if pg < 0 {
		pg = 0
	}
	users, err := w.svc.Accounts.List(ctx, adminPageSize+1, pg*adminPageSize)
	if err != nil {
		return err
	}
	d := adminData{Mode: w.svc.Instance.RegistrationMode(ctx), Modes: []string{"open", "approval", "closed"},
		Roles: []string{models.RoleMember, models.RoleModerator, models.RoleAdmin}, IsAdmin: u.Role == models.RoleAdmin,
		Error: msg, Notice: notice, Page: pg, Base: w.cfg.Server.PublicURL}
	if len(users) > adminPageSize {
		users, d.NextPage = users[:adminPageSize], pg+1
	}
	d.Users = users
	if d.Invites, err = w.svc.Instance.Invites(ctx); err != nil {
		return err
	}
	p := w.page(c, "Administration")
	p.Data = d
	return w.render(c, status, "admin", p)
}

func (w *Web) admin(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	notice := map[string]string{"user": "Account updated.", "mode": "Registration mode changed.", "invite": "Invite link created.",
		"revoked": "Invite link revoked.", "rejected": "Sign-up rejected."}[c.QueryParam("done")]
	return w.adminPage(c, http.StatusOK, u, "", notice)
}

// adminPost runs one admin action after the staff check (CSRF: middleware); a service error
// re-renders the page with the message and the service's status.
func (w *Web) adminPost(c echo.Context, done string, act func(u *models.User) error) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	if err := act(u); err != nil {
		return w.adminPage(c, statusOf(err), u, errs.Message(err), "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin?done="+done)
}

func (w *Web) adminUser(c echo.Context) error {
	name := c.Param("name")
	if !confirmed(c) {
		if u, err := w.staff(c); u == nil {
			return err
		}
		switch c.FormValue("action") {
		case "suspend":
			return w.askConfirm(c, confirmData{Title: "Suspend @" + name + "?", Lines: []string{
				"@" + name + " will be logged out and cannot log in, post or be followed until the suspension is lifted."},
				Verb: "Yes, suspend @" + name, Cancel: "/admin", Danger: true})
		case "reject":
			return w.askConfirm(c, confirmData{Title: "Reject the sign-up of @" + name + "?", Lines: []string{
				"The account waiting for approval is removed; the name and the e-mail address can be used again."},
				Verb: "Yes, reject @" + name, Cancel: "/admin", Danger: true})
		}
	}
	if c.FormValue("action") == "reject" {
		return w.adminPost(c, "rejected", func(u *models.User) error {
			return w.svc.Accounts.RejectSignup(c.Request().Context(), u, name)
		})
	}
	return w.adminPost(c, "user", func(u *models.User) error {
		yes, no := true, false
		var ch service.ModerationChange
		switch c.FormValue("action") {
		case "approve":
			ch.Approved = &yes
		case "suspend":
			ch.Suspended = &yes
		case "unsuspend":
			ch.Suspended = &no
		case "role":
			ch.Role = c.FormValue("role")
			if ch.Role == "" {
				return errs.Unprocessable("choose a role")
			}
		default:
			return errs.Unprocessable("unknown action")
		}
		_, err := w.svc.Accounts.Moderate(c.Request().Context(), u, c.Param("name"), ch)
		return err
	})
}

func (w *Web) adminRegistration(c echo.Context) error {
	return w.adminPost(c, "mode", func(u *models.User) error {
		return w.svc.Instance.SetRegistrationMode(c.Request().Context(), u, c.FormValue("mode"))
	})
}

// adminRevokeInvite is POST /admin/invites/:code/revoke, after a confirmation.
func (w *Web) adminRevokeInvite(c echo.Context) error {
	if !confirmed(c) {
		if u, err := w.staff(c); u == nil {
			return err
		}
		return w.askConfirm(c, confirmData{Title: "Revoke this invite link?", Lines: []string{
			"Nobody can sign up with it any more; accounts already made with it stay."},
			Verb: "Yes, revoke the link", Cancel: "/admin", Danger: true})
	}
	return w.adminPost(c, "revoked", func(u *models.User) error {
		return w.svc.Instance.RevokeInvite(c.Request().Context(), u, c.Param("code"))
	})
}

func (w *Web) adminInvite(c echo.Context) error {
	return w.adminPost(c, "invite", func(u *models.User) error {
		uses, err := strconv.Atoi(c.FormValue("max_uses"))
		if err != nil {
			return errs.Unprocessable("max uses must be a number")
		}
		days, err := strconv.Atoi(c.FormValue("days"))
		if err != nil || days < 0 {
			return errs.Unprocessable("validity must be a number of days (0: no expiry)")
		}
		_, err = w.svc.Instance.CreateInvite(c.Request().Context(), u, uses, time.Duration(days)*24*time.Hour)
		return err
	})
}
