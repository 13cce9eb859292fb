package federation

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// jrd is a JSON Resource Descriptor (RFC 7033 §4.4).
type jrd struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []jrdLink `json:"links"`
}

type jrdLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// webfinger answers RFC 7033 queries for acct:name@host[:port] and for actor URLs,
// plus the instance actor by the server's own URL (FEP-d556).
func (f *Federation) webfinger(c echo.Context) error {
	res := c.QueryParam("resource")
	if res == "" {
		return errs.BadRequest("resource parameter is required")
	}
	body, err := f.docs.get("webfinger:"+strings.ToLower(res), func() ([]byte, error) { return f.renderWebfinger(c, res) })
	if err != nil {
		return err
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	c.Response().Header().Set(echo.HeaderContentType, "application/jrd+json; charset=utf-8")
	return c.Blob(http.StatusOK, "application/jrd+json; charset=utf-8", body)
}

func (f *Federation) renderWebfinger(c echo.Context, res string) ([]byte, error) {
	act, err := f.resolveResource(c, res)
	if err != nil {
		return nil, err
	}
	base := f.cfg.Server.PublicURL
	subject := res
	if !strings.HasPrefix(res, "acct:") {
		subject = "acct:" + act.Username + "@" + f.cfg.PublicHost()
	}
	doc := jrd{
		Subject: subject,
		Aliases: []string{act.URI, act.URL},
		Links: []jrdLink{
			{Rel: "self", Type: "application/activity+json", Href: act.URI},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: act.URL},
			{Rel: "http://ostatus.org/schema/1.0/subscribe", Template: base + "/authorize_interaction?uri={uri}"},
		},
	}
	if act.Type == models.ActorApplication {
		doc.Links = append(doc.Links, jrdLink{Rel: "https://www.w3.org/ns/activitystreams#Application", Type: "application/activity+json", Href: act.URI})
	}
	if act.IconURL != "" {
		doc.Links = append(doc.Links, jrdLink{Rel: "http://webfinger.net/rel/avatar", Href: act.IconURL})
	}
	return mustJSON(doc), nil
}

func (f *Federation) resolveResource(c echo.Context, res string) (*models.Actor, error) {
	ctx := c.Request().Context()
	host := f.cfg.PublicHost()
	base := f.cfg.Server.PublicURL
	switch {
	case strings.HasPrefix(res, "acct:"):
		user, domain, ok := strings.Cut(strings.TrimPrefix(res, "acct:"), "@")
		user = strings.TrimPrefix(user, "@")
		if !ok || user == "" || domain == "" || strings.ContainsAny(domain, "/@ ") {
			return nil, errs.BadRequest("malformed acct: resource %q", res)
		}
		if !strings.EqualFold(domain, host) {
			return nil, errs.NotFound("%s is not on this instance", res)
		}
		if strings.EqualFold(user, host) || strings.EqualFold(user, hostname(host)) || user == "instance.actor" {
			return f.svc.Actors.Instance(ctx)
		}
		return f.svc.Actors.LocalByHandle(ctx, user)
	case strings.HasPrefix(res, "http://") || strings.HasPrefix(res, "https://"):
		u, err := url.Parse(res)
		if err != nil || u.Host == "" {
			return nil, errs.BadRequest("malformed resource URL")
		}
		if !strings.EqualFold(u.Host, host) {
			return nil, errs.NotFound("%s is not on this instance", res)
		}
		if strings.TrimRight(res, "/") == base || res == f.svc.URLs().InstanceActor() {
			return f.svc.Actors.Instance(ctx)
		}
		p := u.Path
		for _, prefix := range []string{"/users/", "/@"} {
			if name, ok := strings.CutPrefix(p, prefix); ok && name != "" && !strings.Contains(name, "/") {
				return f.svc.Actors.LocalByHandle(ctx, name)
			}
		}
		return nil, errs.NotFound("no actor at %s", res)
	default:
		return nil, errs.BadRequest("resource must be an acct: URI or an http(s) URL")
	}
}

// hostname drops a port.
func hostname(hostport string) string {
	if h, _, ok := strings.Cut(hostport, ":"); ok {
		return h
	}
	return hostport
}
