package frontend_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestSharePage: /share?text=… (Mastodon's share page, where another server's
// "Join from another server" sends its visitors) is the home page's compose form
// filled in; a message starting with a mention is direct. Logged out, the login
// page keeps the text for afterwards. An offer form for a community that is not
// found is a 404.
func TestSharePage(t *testing.T) {
	inst, ada := startWithAdmin(t)
	anon := newBrowser(t, inst)
	p := anon.get("/share?text=" + url.QueryEscape("@seeds@example.org join-x"))
	want(t, p, http.StatusSeeOther)
	if wantLoc := "/login?next=" + url.QueryEscape("/share?text="+url.QueryEscape("@seeds@example.org join-x")); p.Location != wantLoc {
		t.Fatalf("logged out: to %q, want %q", p.Location, wantLoc)
	}
	for _, tc := range []struct{ text, content, visibility string }{
		{"@seeds@example.org join-x", "@seeds@example.org join-x</textarea>", `<option value="direct" selected>`},
		{"Look at this", "Look at this</textarea>", `<option value="public" selected>`},
		{"", "></textarea>", `<option value="public" selected>`},
	} {
		want(t, ada.get("/share?text="+url.QueryEscape(tc.text)), http.StatusOK, `action="/home"`, tc.content, tc.visibility)
	}
	want(t, ada.get("/c/nobody@"+inst.Host+"/offer"), http.StatusNotFound)
}
