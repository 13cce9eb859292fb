package frontend_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

const goodPassword = "correct horse battery"

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	t    *testing.T
	inst *apptest.Instance
	c    *http.Client
}

func newBrowser(t *testing.T, inst *apptest.Instance) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, inst: inst, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Body: string(body), Header: resp.Header, Location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.inst.URL+path, nil)
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token loads a page and returns its form token.
func (b *browser) token(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no csrf token on %s (%d)", path, p.Status)
	}
	return html.UnescapeString(m[1])
}

// post submits a form; the CSRF token is taken from the page at from unless vals has one.
func (b *browser) post(from, path string, vals url.Values) page {
	b.t.Helper()
	if _, ok := vals["csrf"]; !ok && from != "" {
		vals.Set("csrf", b.token(from))
	}
	req, _ := http.NewRequest(http.MethodPost, b.inst.URL+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) upload(path, field, filename, ctype string, data []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.token("/settings/profile"))
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+filename+`"`)
	h.Set("Content-Type", ctype)
	w, _ := mw.CreatePart(h)
	_, _ = w.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.inst.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func (b *browser) signup(name string, extra url.Values) page {
	b.t.Helper()
	v := url.Values{"username": {name}, "email": {name + "@example.org"}, "password": {goodPassword}}
	for k, vs := range extra {
		v[k] = vs
	}
	from := "/login" // a closed instance's sign-up page has no form; the token is the same
	if inv := v.Get("invite"); inv != "" {
		from += "?invite=" + inv
	}
	return b.post(from, "/signup", v)
}

func (b *browser) login(name, password string) page {
	b.t.Helper()
	return b.post("/login", "/login", url.Values{"login": {name}, "password": {password}})
}

func (b *browser) logout() page {
	b.t.Helper()
	return b.post("/", "/logout", url.Values{})
}

// loggedIn reports whether the browser's session is live.
func (b *browser) loggedIn() bool {
	b.t.Helper()
	return b.get("/settings/profile").Status == http.StatusOK
}

func want(t *testing.T, p page, status int, contains ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
	for _, s := range contains {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("body lacks %q:\n%s", s, p.Body)
		}
	}
}

// startWithAdmin starts an instance whose first account, "admin", is logged in.
func startWithAdmin(t *testing.T) (*apptest.Instance, *browser) {
	inst := apptest.Start(t)
	admin := newBrowser(t, inst)
	p := admin.signup("ada", nil)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("first sign-up: %d\n%s", p.Status, p.Body)
	}
	return inst, admin
}

func user(t *testing.T, inst *apptest.Instance, name string) *models.User {
	t.Helper()
	u, err := inst.App.Svc.Accounts.ByUsername(context.Background(), name)
	if err != nil {
		return nil
	}
	return u
}

func actor(t *testing.T, inst *apptest.Instance, name string) *models.Actor {
	t.Helper()
	a, err := inst.App.Svc.Actors.LocalByHandle(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func setMode(t *testing.T, inst *apptest.Instance, mode string) {
	t.Helper()
	if err := inst.App.Svc.Instance.SetRegistrationMode(context.Background(), user(t, inst, "ada"), mode); err != nil {
		t.Fatal(err)
	}
}

var _ = service.InstanceActorName

var inputIDRE = regexp.MustCompile(`<(?:input|textarea|select) id="([^"]+)"`)

func modSuspend(b *bool) service.ModerationChange { return service.ModerationChange{Suspended: b} }
