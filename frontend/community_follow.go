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
// Join (Mastodon) types their handle; the service records the intent and the page
// asks them to follow the community from that account, which confirms it.
func (w *Web) remoteJoin(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	handle := strings.TrimSpace(c.FormValue("member_handle"))
	fail := func(status int, msg string) error {
		return w.renderCommunity(c, group.Username, status, func(d *communityData) {
			d.RemoteJoin.Values["member_handle"] = handle
			d.RemoteJoin.Errors["member_handle"] = msg
		})
	}
	user, host, err := parseRemoteHandle(handle)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, errs.Message(err))
	}
	if _, _, err := w.svc.Communities.RequestByFollow(ctx, group, "@"+user+"@"+host); err != nil {
		if s := errs.Status(err); s == http.StatusInternalServerError || s == http.StatusNotFound {
			return err
		}
		return fail(statusOf(err), errs.Message(err))
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"?done=awaiting#join-remote")
}
