package frontend_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Handler packages of the unsafe routes a full instance registers. The frontend's
// must carry the CSRF middleware; the API authenticates with bearer tokens and
// federation's inboxes with HTTP signatures, so neither uses cookies. An unsafe
// route of any other package fails the test until it is classified here.
const (
	pkgFrontend   = "github.com/commonsd/commonsd/frontend."
	pkgAPI        = "github.com/commonsd/commonsd/api."
	pkgFederation = "github.com/commonsd/commonsd/federation."
)

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// concretePath fills a route's parameters (":id", "*") with a placeholder: the
// token is checked before any handler reads them.
func concretePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			segs[i] = "x"
		}
	}
	return strings.Join(segs, "/")
}

// TestEveryUnsafeRouteChecksCSRF walks the routes of a running instance: every
// POST/PUT/PATCH/DELETE route whose handler is in package frontend must refuse a
// form without this browser's token with 403 and the form-token message, before
// any other check (the caller is the admin, so no permission check answers 403
// first). Forms are sent urlencoded and multipart, logged in and logged out, with
// no token, another browser's token, and the right token in the query string only.
func TestEveryUnsafeRouteChecksCSRF(t *testing.T) {
	inst, admin := startWithAdmin(t)
	other := newBrowser(t, inst)
	want(t, other.signup("bea", nil), http.StatusSeeOther)
	anon := newBrowser(t, inst)
	anon.get("/login") // receives the double-submit cookie

	adminToken, otherToken, anonToken := admin.token("/settings/profile"), other.token("/settings/profile"), anon.token("/login")
	if adminToken == otherToken || anonToken == "" {
		t.Fatal("tokens are not per browser")
	}

	type form struct {
		name      string
		b         *browser
		multipart bool
		body      url.Values
		query     url.Values
	}
	forms := []form{
		{"logged in, no token", admin, false, url.Values{"x": {"1"}}, nil},
		{"logged in, empty token", admin, false, url.Values{"csrf": {""}}, nil},
		{"logged in, another browser's token", admin, false, url.Values{"csrf": {otherToken}}, nil},
		{"logged in, token in the query only", admin, false, url.Values{"x": {"1"}}, url.Values{"csrf": {adminToken}}},
		{"logged in, multipart, no token", admin, true, url.Values{"x": {"1"}}, nil},
		{"logged in, multipart, another browser's token", admin, true, url.Values{"csrf": {otherToken}}, nil},
		{"logged out, no token", anon, false, url.Values{"x": {"1"}}, nil},
		{"logged out, multipart, another browser's token", anon, true, url.Values{"csrf": {adminToken}}, nil},
	}

	frontendRoutes := 0
	for _, r := range inst.App.Echo.Routes() {
		if !unsafeMethod(r.Method) {
			continue
		}
		switch {
		case strings.HasPrefix(r.Name, pkgAPI), strings.HasPrefix(r.Name, pkgFederation):
			continue
		case !strings.HasPrefix(r.Name, pkgFrontend):
			t.Errorf("%s %s: handler %s is in no package this test knows; classify it", r.Method, r.Path, r.Name)
			continue
		}
		frontendRoutes++
		for _, f := range forms {
			t.Run(r.Method+" "+r.Path+"/"+f.name, func(t *testing.T) {
				target := inst.URL + concretePath(r.Path)
				if f.query != nil {
					target += "?" + f.query.Encode()
				}
				var req *http.Request
				if f.multipart {
					var buf bytes.Buffer
					mw := multipart.NewWriter(&buf)
					for k, vs := range f.body {
						for _, v := range vs {
							_ = mw.WriteField(k, v)
						}
					}
					fw, _ := mw.CreateFormFile("file", "a.png")
					_, _ = fw.Write(pngBytes)
					mw.Close()
					req, _ = http.NewRequest(r.Method, target, &buf)
					req.Header.Set("Content-Type", mw.FormDataContentType())
				} else {
					req, _ = http.NewRequest(r.Method, target, strings.NewReader(f.body.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				want(t, f.b.do(req), http.StatusForbidden, "form token is missing or out of date")
			})
		}
	}
	// The frontend registers 34 unsafe routes today; fewer means the walk is broken.
	if frontendRoutes < 34 {
		t.Fatalf("walked %d unsafe frontend routes, want at least 34", frontendRoutes)
	}
	if !admin.loggedIn() {
		t.Fatal("a refused request ended the admin's session")
	}
}

// TestFormBodyCap: the middleware reads a form within its route's cap; beyond it
// the request is refused with 413 before the handler, with or without a token.
func TestFormBodyCap(t *testing.T) {
	inst, ada := startWithAdmin(t)
	big := strings.Repeat("a", 3<<20)
	want(t, ada.post("/home", "/home", url.Values{"content": {big}}), http.StatusRequestEntityTooLarge, "the form is larger than 2 MiB")
	if n := timelineLen(t, inst, "ada"); n != 0 {
		t.Fatalf("%d notes after a refused form", n)
	}
	want(t, ada.post("/home", "/home", url.Values{"content": {"small enough"}}), http.StatusSeeOther)
}
