package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// settingsForm is the settings form as a steward submits it.
func settingsForm(name, licence, charter string) url.Values {
	return url.Values{"name": {name}, "summary": {"We keep seeds."}, "licence": {licence}, "charter": {charter},
		"link_name": {"Wiki"}, "link_url": {"https://wiki.example/seeds"}, "posting_policy": {"open"},
		"offer_policy": {"open"}, "membership_policy": {"approval"}, "members_public": {"on"},
		"weight_min": {"1"}, "weight_max": {"10"}}
}

// TestCommunitySettingsForm: a steward edits the community's settings on its
// page; others cannot; a new charter shows in the charter history.
func TestCommunitySettingsForm(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "MIT")), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	anon := newBrowser(t, inst)

	want(t, ada.get("/c/seeds"), http.StatusOK, `href="/c/seeds/settings"`, `href="/c/seeds/charter"`)
	want(t, ada.get("/c/seeds/charter"), http.StatusOK, `href="/c/seeds/charter/history"`)
	if p := bob.get("/c/seeds"); strings.Contains(p.Body, `href="/c/seeds/settings"`) {
		t.Fatal("a member is offered the settings")
	}
	want(t, ada.get("/c/seeds/settings"), http.StatusOK, `value="Seed library seeds"`, `<option value="MIT" selected>`, "https://wiki.example/seeds")
	want(t, bob.get("/c/seeds/settings"), http.StatusForbidden)
	if p := anon.get("/c/seeds/settings"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
		t.Fatalf("logged out: %d %q", p.Status, p.Location)
	}

	cases := []struct {
		name   string
		b      *browser
		vals   url.Values
		status int
		body   string
	}{
		{"a member", bob, settingsForm("Mine now", "MIT", "x"), http.StatusForbidden, ""},
		{"bad licence", ada, settingsForm("Seeds", "WTFPL", "x"), http.StatusUnprocessableEntity, "licence must be one of"},
		{"bad link", ada, func() url.Values { v := settingsForm("Seeds", "MIT", "x"); v.Set("link_url", "javascript:x"); return v }(),
			http.StatusUnprocessableEntity, "is not a web address"},
		{"bad weights", ada, func() url.Values { v := settingsForm("Seeds", "MIT", "x"); v.Set("weight_min", "many"); return v }(),
			http.StatusUnprocessableEntity, "whole numbers"},
		{"saved", ada, settingsForm("Seed Garden", "PPL", "## Rules\n\nBe *generous*."), http.StatusSeeOther, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.b.post("/c/seeds/settings", "/c/seeds/settings", tc.vals)
			want(t, p, tc.status, tc.body)
			if tc.status == http.StatusUnprocessableEntity {
				want(t, p, tc.status, `value="Seeds"`) // the form comes back as typed
			}
			if tc.status == http.StatusSeeOther && p.Location != "/c/seeds/settings?done=saved" {
				t.Fatalf("location %q", p.Location)
			}
		})
	}
	want(t, ada.get("/c/seeds/settings?done=saved"), http.StatusOK, "Settings saved", `value="Seed Garden"`)
	want(t, anon.get("/c/seeds/charter"), http.StatusOK, "Seed Garden", "<em>generous</em>", "Peer Production License")
	hist := anon.get("/c/seeds/charter/history")
	want(t, hist, http.StatusOK, "Version 2", "Version 1", "<em>generous</em>", "<em>kind</em>", "licence: MIT", "licence: Peer Production License")
	if strings.Index(hist.Body, "Version 2") > strings.Index(hist.Body, "Version 1") {
		t.Fatal("history is not newest first")
	}
	want(t, anon.get("/c/nothing/charter/history"), http.StatusNotFound)
}
