package frontend

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/fetch"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// "Follow from your instance": a visitor with an account elsewhere types their
// handle; we ask their server (WebFinger) for its OStatus subscribe template and
// send them there with the community's actor id, so they follow it at home.

const (
	subscribeRel     = "http://ostatus.org/schema/1.0/subscribe"
	webfingerTimeout = 10 * time.Second
	maxJRDBytes      = 256 << 10
)

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

// subscribeTemplate asks host's WebFinger for acct:user@host and returns its
// subscribe template. Only that host is contacted, with the federation client
// (private addresses refused unless configured otherwise) and a timeout.
func (w *Web) subscribeTemplate(ctx context.Context, user, host string) (string, error) {
	scheme := "https"
	if w.cfg.PublicScheme() == "http" {
		scheme = "http"
	}
	u := &url.URL{Scheme: scheme, Host: host, Path: "/.well-known/webfinger",
		RawQuery: url.Values{"resource": {"acct:" + user + "@" + host}}.Encode()}
	client := fetch.NewHTTPClient(w.cfg.Federation.AllowPrivateAddresses, nil)
	defer client.CloseIdleConnections()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse } // their host only
	ctx, cancel := context.WithTimeout(ctx, webfingerTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/jrd+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("webfinger: status %d", resp.StatusCode)
	}
	var doc struct {
		Links []struct {
			Rel      string `json:"rel"`
			Template string `json:"template"`
		} `json:"links"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJRDBytes)).Decode(&doc); err != nil {
		return "", fmt.Errorf("webfinger: %w", err)
	}
	for _, l := range doc.Links {
		if l.Rel == subscribeRel && strings.Contains(l.Template, "{uri}") {
			return l.Template, nil
		}
	}
	return "", fmt.Errorf("webfinger: no subscribe template")
}

func (w *Web) remoteFollow(c echo.Context) error {
	if err := w.checkCSRF(c); err != nil {
		return err
	}
	group, _, err := w.svc.Communities.Local(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	handle := c.FormValue("handle")
	fail := func(status int, msg string) error {
		return w.renderCommunity(c, group.Username, status, func(d *communityData) {
			d.Follow.Values["handle"] = handle
			d.Follow.Errors["handle"] = msg
		})
	}
	user, host, err := parseRemoteHandle(handle)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, errs.Message(err))
	}
	tpl, err := w.subscribeTemplate(c.Request().Context(), user, host)
	if err != nil {
		w.log.Info("remote follow: webfinger failed", "host", host, "err", err)
		return fail(http.StatusBadGateway, "could not find where to follow from on "+host+"; check your handle, or search for "+
			"@"+group.Username+"@"+w.host+" on your instance")
	}
	target := strings.ReplaceAll(tpl, "{uri}", url.QueryEscape(group.URI))
	tu, err := url.Parse(target)
	if err != nil || (tu.Scheme != "https" && tu.Scheme != "http") || tu.Host == "" {
		return fail(http.StatusBadGateway, host+" sent an unusable follow address")
	}
	return c.Redirect(http.StatusSeeOther, tu.String())
}

// remoteJoin is "Join from another server": a visitor whose server cannot send
// Join (Mastodon) types their handle; the service records the request and the
// page shows the message that account must send the community to confirm it (a
// Follow alone does not: anyone can type anyone's handle), with a link to the
// account's server's share page carrying that message. Limited per client
// address by the service (429).
func (w *Web) remoteJoin(c echo.Context) error {
	if err := w.checkCSRF(c); err != nil {
		return err
	}
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
			d.RemoteJoin.Errors["member_handle"] = msg
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
