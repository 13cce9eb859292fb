package federation

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/labstack/echo/v4"
)

// ContentType is what we answer ActivityPub clients with.
const ContentType = `application/activity+json; charset=utf-8`

// IsActivityPubRequest reports whether the client asks for ActivityStreams JSON
// (application/activity+json, or application/ld+json with the AS2 profile) rather
// than HTML: the same URL serves both.
func IsActivityPubRequest(r *http.Request) bool {
	acc := strings.ToLower(r.Header.Get("Accept"))
	return strings.Contains(acc, "application/activity+json") ||
		strings.Contains(acc, "application/ld+json") ||
		(strings.Contains(acc, "application/json") && !strings.Contains(acc, "text/html"))
}

// negotiate serves JSON to ActivityPub clients and html otherwise.
func negotiate(ap, html echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Add("Vary", "Accept")
		if IsActivityPubRequest(c.Request()) {
			return ap(c)
		}
		return html(c)
	}
}

// writeAP renders an ActivityStreams document with our inline @context.
func writeAP(c echo.Context, status int, o *vocab.Object) error {
	b, err := vocab.Marshal(o)
	if err != nil {
		return err
	}
	return c.Blob(status, ContentType, b)
}

// actor serves a local actor's document (rendered once per change, see docCache).
func (f *Federation) actor(c echo.Context) error {
	ctx := c.Request().Context()
	body, err := f.docs.get("actor:"+strings.ToLower(c.Param("name")), func() ([]byte, error) {
		act, err := f.svc.Actors.LocalByHandle(ctx, c.Param("name"))
		if err != nil {
			return nil, err
		}
		o := convert.Actor(act)
		f.groupExtras(ctx, act, o)
		f.orgExtras(ctx, act, o)
		return vocab.Marshal(o)
	})
	if err != nil {
		// A deleted account is a Tombstone, 410, as Mastodon answers.
		if act := f.svc.Actors.Deleted(ctx, c.Param("name")); act != nil {
			return writeAP(c, http.StatusGone, &vocab.Object{ID: act.URI, Type: "Tombstone", FormerType: act.Type, Deleted: *act.DeletedAt})
		}
		return err
	}
	return c.Blob(http.StatusOK, ContentType, body)
}

// instanceActor serves the Application actor (FEP-2677), cached like the other
// actors (see docCache): every peer that verifies our signed GETs fetches it, and
// rendering it cost a query and a go-fed serialisation.
func (f *Federation) instanceActor(c echo.Context) error {
	body, err := f.docs.get("instance-actor", func() ([]byte, error) {
		act, err := f.svc.Actors.Instance(c.Request().Context())
		if err != nil {
			return nil, err
		}
		return vocab.Marshal(convert.Actor(act))
	})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, ContentType, body)
}

// contextDocument serves our JSON-LD context at the namespace URL, so the terms we
// inline can also be dereferenced.
func (f *Federation) contextDocument(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/ld+json; charset=utf-8", vocab.ContextDocument())
}
