package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// "Follow from your instance": a visitor with an account elsewhere types their
// handle; the service asks their server (WebFinger) for its OStatus subscribe
// template and we send them there with the community's actor id, so they follow
// it at home.

var (
	handleUserRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)
	handleHostRE = regexp.MustCompile(`^[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$`)
)

// parseRemoteHandle accepts @user@host or user@host.
func parseRemoteHandle(s string) (user, host string, err error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	user, host, ok := strings.Cut(s, "@")
	if !ok || !handleUserRE.MatchString(user) || !handleHostRE.MatchString(host) || strings.Contains(host, "..") ||
		strings.HasPrefix(host, ".") || strings.HasPrefix(host, "-") {
		return "", "", errs.Unprocessable("enter your handle as @name@your.instance")
	}
	return user, strings.ToLower(host), nil
}

func (w *Web) remoteFollow(c echo.Context) error {
	group, _, err := w.svc.Communities.Local(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	handle := c.FormValue("handle")
	fail := func(status int, msg string) error {
		return w.renderCommunity(c, group.Username, status, func(d *communityData) {
			d.Follow.Values["handle"] = handle
			d.Follow.invalid("handle", msg)
		})
	}
	user, host, err := parseRemoteHandle(handle)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, errs.Message(err))
	}
	// The service asks the visitor's server (WebFinger, under the domain policy).
	target, err := w.svc.Social.RemoteFollowURL(c.Request().Context(), user, host, group.URI)
	if err != nil {
		w.log.Info("remote follow failed", "host", host, "err", err)
		switch s := errs.Status(err); {
		case s == http.StatusBadGateway:
			return fail(s, errs.Message(err)+"; check your handle, or search for "+"@"+group.Username+"@"+w.host+" on your instance")
		case s >= 500:
			return err
		default:
			return fail(statusOf(err), errs.Message(err))
		}
	}
	return w.continueTo(c, target, "@"+group.Username+"@"+w.host, communityPath(group))
}

// continueTo answers a form that sends the visitor to another server (the
// subscribe page of their own instance) with a 200 page "Continue to your
// server", not a redirect. Why: browsers apply our CSP's form-action 'self' to
// every redirect that follows a form submission, so a 303 to another origin is
// blocked silently and the button "does nothing". Widening form-action to any
// host would let an injected form post anywhere; a GET form does not help (the
// rule applies to its redirects too). The page's link is a plain navigation and
// its meta refresh (not governed by form-action) makes it automatic; target is
// the http(s) URL the service checked. handle and back name what is followed.
func (w *Web) continueTo(c echo.Context, target, handle, back string) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errs.Internal(fmt.Errorf("remote follow target %q is not an http(s) URL", target))
	}
	p := w.page(c, "Continue to your server")
	p.Data = continueData{URL: u.String(), Server: u.Host, Handle: handle, Back: back}
	return w.render(c, http.StatusOK, "follow_continue", p)
}

// continueData is what the "Continue to your server" page shows.
type continueData struct {
	URL, Server, Handle, Back string
}

// remoteJoin is "Join from another server": a visitor whose server cannot send
// Join (Mastodon) types their handle; the service records the request and the
// page shows the message that account must send the community to confirm it (a
// Follow alone does not: anyone can type anyone's handle), with a link to the
// account's server's share page carrying that message. Limited per client
// address by the service (429).
func (w *Web) remoteJoin(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	handle := strings.TrimSpace(c.FormValue("member_handle"))
	fail := func(status int, msg string) error {
		if status == http.StatusTooManyRequests {
			c.Response().Header().Set("Retry-After", "60")
		}
		return w.renderCommunity(c, group.Username, status, func(d *communityData) {
			d.RemoteJoin.Values["member_handle"] = handle
			d.RemoteJoin.invalid("member_handle", msg)
		})
	}
	user, host, err := parseRemoteHandle(handle)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, errs.Message(err))
	}
	_, m, err := w.svc.Communities.RequestByFollow(ctx, group, "@"+user+"@"+host, c.RealIP())
	if err != nil {
		if s := errs.Status(err); s == http.StatusInternalServerError || s == http.StatusNotFound {
			return err
		}
		return fail(statusOf(err), errs.Message(err))
	}
	msg := service.JoinMessage("@"+group.Username+"@"+w.host, m)
	scheme := "https"
	if w.cfg.PublicScheme() == "http" {
		scheme = "http" // development and tests: the other server is plain http too
	}
	share := (&url.URL{Scheme: scheme, Host: host, Path: "/share",
		RawQuery: "text=" + strings.ReplaceAll(url.QueryEscape(msg), "+", "%20")}).String()
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return w.renderCommunity(c, group.Username, http.StatusOK, func(d *communityData) {
		d.RemoteJoin.Values["member_handle"] = handle
		d.JoinConfirm = &joinConfirm{Handle: "@" + user + "@" + host, Message: msg, ShareURL: share,
			Expires: m.CreatedAt.Add(models.AwaitingFollowTTL)}
	})
}

// joinConfirm is what the page shows after a join request from another server.
type joinConfirm struct {
	Handle, Message, ShareURL string
	Expires                   time.Time
}
