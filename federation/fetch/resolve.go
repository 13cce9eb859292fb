package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Resolve finds an actor by handle or URL. "@name@host", "name@host" and
// "acct:name@host" go through WebFinger (https, or http when our own public
// URL is http: test and development setups) and the "self" link of type
// application/activity+json or ld+json, then Actor; an http(s) URL goes to
// Actor directly. Handles of our own host are looked up in the store. When
// WebFinger on host points to an actor on another host, that host's own
// WebFinger must confirm it (the actor's handle is then the one on its own
// host). Errors are *errs.Error with a client-safe message (see
// ClientError); the cause is wrapped.
func (f *Fetcher) Resolve(ctx context.Context, handleOrURL string) (*models.Actor, error) {
	s := strings.TrimSpace(handleOrURL)
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		a, err := f.Actor(ctx, s, false)
		return a, ClientError(err)
	}
	name, host, err := parseHandle(s)
	if err != nil {
		return nil, err
	}
	if host == f.publicHost {
		a, err := f.st.ActorByHandle(ctx, name, "")
		if errors.Is(err, store.ErrNotFound) || (err == nil && a.Suspended) {
			return nil, errs.NotFound("no actor @%s here", name)
		}
		if err != nil {
			return nil, errs.Internal(err)
		}
		return a, nil
	}
	if !f.policy.Allowed(host) {
		return nil, ClientError(fmt.Errorf("%w: %s", ErrBlockedDomain, host))
	}
	if a, err := f.st.ActorByHandle(ctx, name, host); err == nil && f.fresh(a) {
		return a, nil
	}
	href, err := f.WebFinger(ctx, name, host)
	if err != nil {
		return nil, ClientError(err)
	}
	a, err := f.Actor(ctx, href, false)
	if err != nil {
		return nil, ClientError(err)
	}
	if a.Domain != host {
		// Delegated WebFinger (handle @name@example.com, actor on
		// social.example.com): the actor's host must agree.
		back, err := f.WebFinger(ctx, a.Username, a.Domain)
		if err != nil || back != a.URI {
			return nil, ClientError(fmt.Errorf("%w: %s@%s points to %s, which its host does not confirm (%v)",
				ErrWebFinger, name, host, a.URI, err))
		}
	}
	return a, nil
}

// parseHandle splits "@name@host", "name@host" or "acct:name@host".
func parseHandle(s string) (name, host string, err error) {
	s = strings.TrimPrefix(s, "acct:")
	s = strings.TrimPrefix(s, "@")
	name, host, ok := strings.Cut(s, "@")
	if !ok || name == "" || host == "" || strings.ContainsAny(name, "/?#@ :") ||
		strings.ContainsAny(host, "/?#@ \\") {
		return "", "", errs.BadRequest("expected @name@host, name@host, acct:name@host or an http(s) URL")
	}
	host = normDomain(host)
	u, err := url.Parse("https://" + host)
	if err != nil || u.Hostname() == "" || u.Host != host {
		return "", "", errs.BadRequest("malformed host in handle")
	}
	return name, host, nil
}

// jrd is the part of a WebFinger answer we read.
type jrd struct {
	Subject string `json:"subject"`
	Links   []struct {
		Rel      string `json:"rel"`
		Type     string `json:"type"`
		Href     string `json:"href"`
		Template string `json:"template"`
	} `json:"links"`
}

// SubscribeRel is the WebFinger link relation of the OStatus subscribe template
// ("remote follow": where an account follows something from its own server).
const SubscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// WebFinger asks host for acct:name@host and returns the href of its
// "self" link of an ActivityPub type. The request is unsigned, over https
// (http when our public URL is http), under the same SSRF, policy, size and
// redirect rules as Get.
func (f *Fetcher) WebFinger(ctx context.Context, name, host string) (string, error) {
	doc, where, err := f.webfinger(ctx, name, host)
	if err != nil {
		return "", err
	}
	for _, l := range doc.Links {
		if l.Rel == "self" && activityType(l.Type) && isHTTPURL(l.Href) {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("%w: %s has no ActivityPub self link", ErrWebFinger, where)
}

// SubscribeTemplate asks host for acct:name@host (as WebFinger does, under the
// domain policy) and returns its OStatus subscribe template, which contains
// "{uri}". Errors are *errs.Error with a client-safe message (ClientError).
func (f *Fetcher) SubscribeTemplate(ctx context.Context, name, host string) (string, error) {
	name, host, err := parseHandle(name + "@" + host)
	if err != nil {
		return "", err
	}
	doc, where, err := f.webfinger(ctx, name, host)
	if err != nil {
		return "", ClientError(err)
	}
	for _, l := range doc.Links {
		if l.Rel == SubscribeRel && strings.Contains(l.Template, "{uri}") {
			return l.Template, nil
		}
	}
	return "", ClientError(fmt.Errorf("%w: %s has no subscribe template", ErrWebFinger, where))
}

func (f *Fetcher) webfinger(ctx context.Context, name, host string) (*jrd, string, error) {
	scheme := "https"
	if f.scheme == "http" {
		scheme = "http"
	}
	u := &url.URL{Scheme: scheme, Host: host, Path: "/.well-known/webfinger",
		RawQuery: url.Values{"resource": {"acct:" + name + "@" + host}}.Encode()}
	r, err := f.fetch(ctx, u.String(), nil, acceptJRD, false)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrWebFinger, err)
	}
	var doc jrd
	if err := json.Unmarshal(r.body, &doc); err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrWebFinger, u.Redacted(), err)
	}
	return &doc, u.Redacted(), nil
}

func activityType(t string) bool {
	mt, params, err := mime.ParseMediaType(t)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		p, ok := params["profile"]
		return !ok || strings.Contains(p, "https://www.w3.org/ns/activitystreams")
	}
	return false
}
