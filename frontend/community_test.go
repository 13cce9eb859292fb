package frontend_test

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

func communityForm(handle, licence string) url.Values {
	return url.Values{"handle": {handle}, "name": {"Seed library " + handle}, "summary": {"We keep seeds."},
		"licence": {licence}, "charter": {"## Rules\n\nBe *kind*."}, "link_name": {"Wiki"}, "link_url": {"https://wiki.example/seeds"},
		"posting_policy": {"open"}, "offer_policy": {"members"}, "membership_policy": {"open"}, "members_public": {"on"},
		"weight_min": {"1"}, "weight_max": {"10"}}
}

func TestCommunityCreateForm(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.get("/communities/new"), http.StatusOK, `<option value="PPL" selected>Peer Production License</option>`, `name="charter"`)
	anon := newBrowser(t, inst)
	if p := anon.get("/communities/new"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
		t.Fatalf("logged out: %d %q", p.Status, p.Location)
	}
	tests := []struct {
		name   string
		vals   url.Values
		csrf   bool
		status int
		body   string
		exists string // a handle that must (not) exist afterwards
		made   bool
	}{
		{"created", communityForm("seeds", "PPL"), true, http.StatusSeeOther, "", "seeds", true},
		{"taken handle", communityForm("seeds", "MIT"), true, http.StatusConflict, `handle &#34;seeds&#34; is taken`, "", false},
		{"taken by a user", communityForm("ada", "MIT"), true, http.StatusConflict, "is taken", "", false},
		{"bad licence", communityForm("tools", "WTFPL"), true, http.StatusUnprocessableEntity, "licence must be one of", "tools", false},
		{"bad weights", func() url.Values { v := communityForm("tools2", "MIT"); v.Set("weight_max", "x"); return v }(), true,
			http.StatusUnprocessableEntity, "whole number", "tools2", false},
		{"no csrf", communityForm("nocsrf", "MIT"), false, http.StatusForbidden, "form token", "nocsrf", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from := "/communities/new"
			if !tc.csrf {
				tc.vals.Set("csrf", "")
			}
			p := ada.post(from, "/communities", tc.vals)
			want(t, p, tc.status, tc.body)
			if tc.status == http.StatusSeeOther && p.Location != "/c/"+tc.vals.Get("handle")+"?done=created" {
				t.Fatalf("location %q", p.Location)
			}
			if tc.status == http.StatusUnprocessableEntity || tc.status == http.StatusConflict {
				// the form comes back with what was typed
				want(t, p, tc.status, `value="`+tc.vals.Get("handle")+`"`, "https://wiki.example/seeds")
			}
			if tc.exists != "" {
				_, _, err := inst.App.Svc.Communities.Local(context.Background(), tc.exists)
				if (err == nil) != tc.made {
					t.Fatalf("community %s exists = %v, want %v", tc.exists, err == nil, tc.made)
				}
			}
		})
	}
	page := ada.get("/c/seeds?done=created")
	want(t, ada.get("/c/seeds/charter"), http.StatusOK, "<h2>Rules</h2>", "<em>kind</em>", `aria-current="page">Charter</a>`)
	want(t, page, http.StatusOK, "Seed library seeds", "Peer Production License",
		"https://wiki.example/seeds", `rel="alternate" type="application/rss+xml"`, `href="/c/seeds/feed.atom"`,
		"You are a steward", "Community created")
	want(t, anon.get("/@seeds"), http.StatusOK, "Seed library seeds", `action="/c/seeds/follow"`)
	want(t, anon.get("/communities?q=seed"), http.StatusOK, `href="/c/seeds"`)
	if p := anon.get("/communities?q=nothing-like-it"); strings.Contains(p.Body, `href="/c/seeds"`) {
		t.Fatal("search found a community that does not match")
	}
	want(t, anon.get("/"), http.StatusOK, `href="/communities"`)
}

// contributionID takes the id from a /contributions/ID?... redirect.
func contributionID(t *testing.T, p page) string {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/contributions/") {
		t.Fatalf("offer: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(p.Location, "/contributions/"), "?")
	return id
}

func TestCommunityContributionFlow(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)

	// Offering needs membership (the default offer policy).
	want(t, bob.get("/c/seeds"), http.StatusOK, `action="/c/seeds/join"`)
	offer := url.Values{"title": {"Tomato seed catalogue"}, "body": {"Forty *heirloom* varieties."}, "kind": {"knowledge"},
		"links": {"https://wiki.example/tomatoes\n\nhttps://wiki.example/photos"}, "licence": {"PPL"}}
	want(t, bob.post("/c/seeds/offer", "/c/seeds/offer", offer), http.StatusForbidden)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{"csrf": {""}}), http.StatusForbidden)
	if got := inst.App.Svc.Communities.Role(ctx, actor(t, inst, "seeds"), actor(t, inst, "bob")); got != "" {
		t.Fatalf("joined without a form token: %q", got)
	}
	p := bob.post("/c/seeds", "/c/seeds/join", url.Values{})
	if p.Status != http.StatusSeeOther || p.Location != "/c/seeds?done=joined" {
		t.Fatalf("join: %d %q", p.Status, p.Location)
	}
	want(t, bob.get("/c/seeds"), http.StatusOK, "You are a member", `action="/c/seeds/leave"`, `href="/c/seeds/offer"`)

	want(t, bob.get("/c/seeds/offer"), http.StatusOK, `name="licence" type="text" value="PPL"`)
	bad := url.Values{"title": {"Wrong licence"}, "kind": {"code"}, "licence": {"MIT"}}
	want(t, bob.post("/c/seeds/offer", "/c/seeds/offer", bad), http.StatusUnprocessableEntity, "contributions must be offered under it", `value="Wrong licence"`)
	id := contributionID(t, bob.post("/c/seeds/offer", "/c/seeds/offer", offer))
	second := contributionID(t, bob.post("/c/seeds/offer", "/c/seeds/offer",
		url.Values{"title": {"Plastic pots"}, "kind": {"design"}, "licence": {"PPL"}}))
	cpath := "/contributions/" + id
	want(t, bob.get(cpath), http.StatusOK, "Tomato seed catalogue", "<em>heirloom</em>", "https://wiki.example/photos",
		"Open for review", "Peer Production License", "knowledge")
	if strings.Contains(bob.get(cpath).Body, `value="accept"`) {
		t.Fatal("a member is shown the accept button")
	}
	want(t, ada.get("/c/seeds"), http.StatusOK, "Open contributions", "Tomato seed catalogue")

	// The review thread: the contributor and maintainers comment; maintainers request changes.
	want(t, bob.post(cpath, cpath+"/comment", url.Values{"body": {"Photos follow next week."}}), http.StatusSeeOther)
	want(t, bob.post(cpath, cpath+"/comment", url.Values{"body": {"Me too"}, "request_changes": {"1"}}), http.StatusForbidden)
	want(t, ada.post(cpath, cpath+"/comment", url.Values{"body": {""}}), http.StatusUnprocessableEntity, "comment is empty")
	want(t, ada.post(cpath, cpath+"/comment", url.Values{"body": {"Please add **sowing dates**."}, "request_changes": {"1"}}), http.StatusSeeOther)
	want(t, bob.get(cpath), http.StatusOK, "Photos follow next week.", "<strong>sowing dates</strong>", "Changes requested")
	state := func(id string) string {
		co, _, err := inst.App.Svc.Communities.Contribution(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return co.State
	}
	decide := []struct {
		name   string
		who    *browser
		id     string
		vals   url.Values
		status int
		body   string
		state  string
	}{
		{"member cannot accept", bob, id, url.Values{"decision": {"accept"}}, http.StatusForbidden, "only maintainers may", models.ContributionChangesRequested},
		{"no csrf", ada, id, url.Values{"decision": {"accept"}, "csrf": {"nope"}}, http.StatusForbidden, "form token", models.ContributionChangesRequested},
		{"reject needs a reason", ada, second, url.Values{"decision": {"reject"}, "reason": {"  "}}, http.StatusUnprocessableEntity, "a rejection needs a reason", models.ContributionOpen},
		{"reject with reason", ada, second, url.Values{"decision": {"reject"}, "reason": {"We only keep seeds"}}, http.StatusSeeOther, "", models.ContributionRejected},
		{"accept", ada, id, url.Values{"decision": {"accept"}}, http.StatusSeeOther, "", models.ContributionAccepted},
		{"accept twice", ada, id, url.Values{"decision": {"accept"}}, http.StatusConflict, "already accepted", models.ContributionAccepted},
	}
	for _, tc := range decide {
		t.Run(tc.name, func(t *testing.T) {
			want(t, tc.who.post("/contributions/"+tc.id, "/contributions/"+tc.id+"/decide", tc.vals), tc.status, tc.body)
			if got := state(tc.id); got != tc.state {
				t.Fatalf("state %s, want %s", got, tc.state)
			}
		})
	}
	want(t, bob.get("/contributions/"+second), http.StatusOK, "Rejected", "We only keep seeds")

	// The commons lists it with its contributor and licence; the search finds it.
	commons := bob.get("/c/seeds?q=tomato")
	want(t, commons, http.StatusOK, `href="/contributions/`+id+`"`, `<a href="/@bob">bob</a>`, "licence Peer Production License")
	if p := bob.get("/c/seeds?q=cucumber"); strings.Contains(p.Body, `href="/contributions/`+id+`"`) {
		t.Fatal("search found a contribution that does not match")
	}

	// Ledger weights within the charter's bounds; maintainers only.
	page := ada.get(cpath)
	want(t, page, http.StatusOK, "Accepted", "Weight for bob", `max="10"`)
	entry := regexpFind(t, page.Body, `name="entry" value="([^"]+)"`)
	want(t, ada.post(cpath, cpath+"/weight", url.Values{"entry": {entry}, "weight": {"11"}}), http.StatusUnprocessableEntity, "between 1 and 10")
	want(t, bob.post(cpath, cpath+"/weight", url.Values{"entry": {entry}, "weight": {"7"}}), http.StatusForbidden)
	want(t, ada.post(cpath, cpath+"/weight", url.Values{"entry": {entry}, "weight": {"7"}}), http.StatusSeeOther)
	want(t, ada.get("/c/seeds/ledger"), http.StatusOK, "Tomato seed catalogue", "<td>7</td>")

	// CSV export.
	p = bob.get("/c/seeds/ledger.csv")
	if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(p.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != "contributor,kind,contribution,weight,recorded_at" {
		t.Fatalf("csv rows: %q", rows)
	}
	if r := rows[1]; r[0] != "bob@"+inst.Host || r[1] != "knowledge" || r[2] != "Tomato seed catalogue" || r[3] != "7" || r[4] == "" {
		t.Fatalf("csv row: %q", r)
	}

	// A discussion, then both feeds.
	want(t, bob.post("/c/seeds/post", "/c/seeds/post", url.Values{"content": {""}}), http.StatusUnprocessableEntity, "content is required")
	want(t, bob.post("/c/seeds/post", "/c/seeds/post", url.Values{"content": {"Swap day on Saturday\n\nBring jars."}}), http.StatusSeeOther)
	want(t, bob.get("/c/seeds"), http.StatusOK, "Swap day on Saturday", "0 replies")
	for _, f := range []struct{ path, ctype string }{{"/c/seeds/feed.rss", "application/rss+xml"}, {"/c/seeds/feed.atom", "application/atom+xml"}} {
		p := bob.get(f.path)
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), f.ctype) {
			t.Fatalf("%s: %d %s", f.path, p.Status, p.Header.Get("Content-Type"))
		}
		titles := feedTitles(t, p.Body)
		if len(titles) != 2 || titles[0] != "Swap day on Saturday" || titles[1] != "Contribution: Tomato seed catalogue" {
			t.Fatalf("%s titles: %q", f.path, titles)
		}
	}

	// Maintainers moderate discussions; members do not.
	note := regexpFind(t, ada.get("/c/seeds").Body, `action="/c/seeds/posts/([^/]+)/moderate"`)
	want(t, bob.post("/c/seeds", "/c/seeds/posts/"+note+"/moderate", url.Values{"action": {"remove"}, "confirmed": {"yes"}, "reason": {"x"}}), http.StatusForbidden)
	want(t, ada.post("/c/seeds", "/c/seeds/posts/"+note+"/moderate", url.Values{"action": {"lock"}}), http.StatusSeeOther)
	want(t, ada.get("/c/seeds"), http.StatusOK, "Locked")
	want(t, ada.post("/c/seeds", "/c/seeds/posts/"+note+"/moderate", url.Values{"action": {"remove"}, "confirmed": {"yes"}, "reason": {"spam"}}), http.StatusSeeOther)
	if strings.Contains(ada.get("/c/seeds").Body, "Swap day on Saturday") {
		t.Fatal("removed post still listed")
	}

	// Roles: the steward makes bob a maintainer; the role log shows it; the last
	// steward cannot leave.
	bobID := actor(t, inst, "bob").ID
	want(t, bob.post("/c/seeds", "/c/seeds/members/"+bobID+"/role", url.Values{"role": {"steward"}}), http.StatusForbidden)
	want(t, ada.post("/c/seeds", "/c/seeds/members/"+bobID+"/role", url.Values{"role": {"maintainer"}}), http.StatusSeeOther)
	want(t, ada.get("/c/seeds/members"), http.StatusOK, "bob changed from member to maintainer, by ada")
	want(t, ada.post("/c/seeds", "/c/seeds/leave", url.Values{}), http.StatusConflict, "the last steward cannot leave")
}

func TestCommunityMembershipApproval(t *testing.T) {
	inst, ada := startWithAdmin(t)
	v := communityForm("club", "CC-BY-SA-4.0")
	v.Set("membership_policy", "approval")
	v.Del("members_public")
	want(t, ada.post("/communities/new", "/communities", v), http.StatusSeeOther)
	cleo := newBrowser(t, inst)
	want(t, cleo.signup("cleo", nil), http.StatusSeeOther)
	want(t, cleo.get("/c/club"), http.StatusOK, "Ask to join")
	want(t, cleo.get("/c/club/members"), http.StatusOK, "visible to members only")
	if p := cleo.post("/c/club", "/c/club/join", url.Values{}); p.Location != "/c/club?done=requested" {
		t.Fatalf("join: %d %q", p.Status, p.Location)
	}
	want(t, cleo.get("/c/club"), http.StatusOK, "waiting for a maintainer")
	want(t, ada.get("/c/club"), http.StatusOK, `<a href="/c/club/members#requests">Membership requests (1)</a>`)
	page := ada.get("/c/club/members")
	want(t, page, http.StatusOK, "Membership requests", "@cleo@"+inst.Host)
	req := regexpFind(t, page.Body, `action="/c/club/requests/([^"]+)"`)
	want(t, cleo.post("/c/club", "/c/club/requests/"+req, url.Values{"decision": {"approve"}}), http.StatusForbidden)
	want(t, ada.post("/c/club", "/c/club/requests/"+req, url.Values{"decision": {"approve"}}), http.StatusSeeOther)
	want(t, cleo.get("/c/club"), http.StatusOK, "You are a member")
	want(t, cleo.get("/c/club/members"), http.StatusOK, "Members and roles", "@cleo@"+inst.Host)
}

// TestCommunityRemoteFollow: a visitor from instance B types their handle on A's
// community page and is sent on to B's authorize_interaction page (from B's
// WebFinger) by a "Continue to your server" page.
func TestCommunityRemoteFollow(t *testing.T) {
	a, ada := startWithAdmin(t)
	b := apptest.Start(t)
	want(t, newBrowser(t, b).signup("bea", nil), http.StatusSeeOther)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	visitor := newBrowser(t, a)
	tests := []struct {
		name, handle string
		status       int
		body         string
	}{
		{"not a handle", "bea", http.StatusUnprocessableEntity, "enter your handle as @name@your.instance"},
		{"bad host", "@bea@bad/host", http.StatusUnprocessableEntity, "enter your handle"},
		{"unknown user", "@nobody@" + b.Host, http.StatusBadGateway, "could not find where to follow from"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want(t, visitor.post("/c/seeds", "/c/seeds/follow", url.Values{"handle": {tc.handle}}), tc.status, tc.body,
				`aria-invalid="true"`)
		})
	}
	want(t, visitor.post("/c/seeds", "/c/seeds/follow", url.Values{"handle": {"@bea@" + b.Host}, "csrf": {""}}), http.StatusForbidden)
	p := visitor.post("/c/seeds", "/c/seeds/follow", url.Values{"handle": {"@bea@" + b.Host}})
	wantLoc := b.URL + "/authorize_interaction?uri=" + url.QueryEscape(a.ActorURL("seeds"))
	// A 200 page that sends the visitor on (a 303 to another origin would be
	// blocked by the page's form-action 'self'; see TestBrowserRemoteFollow).
	esc := html.EscapeString(wantLoc)
	want(t, p, http.StatusOK, "Continue to your server", `<meta http-equiv="refresh" content="0; url=`+esc+`">`,
		`href="`+esc+`"`, "Continue to "+b.Host, `href="/c/seeds"`)
	if p.Location != "" {
		t.Fatalf("remote follow answered with a redirect to %q", p.Location)
	}
	// Once B's domain is blocked, A does not ask B's WebFinger any more.
	if _, err := a.App.Svc.Admin.PutDomainPolicy(context.Background(), nil, b.Host, "block", "test"); err != nil {
		t.Fatal(err)
	}
	want(t, visitor.post("/c/seeds", "/c/seeds/follow", url.Values{"handle": {"@bea@" + b.Host}}), http.StatusForbidden,
		"is blocked", `aria-invalid="true"`)
}

func regexpFind(t *testing.T, body, re string) string {
	t.Helper()
	m := regexpMust(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

// feedTitles parses an RSS or Atom document and returns its item titles in order.
func feedTitles(t *testing.T, body string) []string {
	t.Helper()
	var doc struct {
		XMLName xml.Name
		Channel struct {
			Items []struct {
				Title string `xml:"title"`
			} `xml:"item"`
		} `xml:"channel"`
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("feed is not XML: %v\n%s", err, body)
	}
	var out []string
	for _, i := range doc.Channel.Items {
		out = append(out, i.Title)
	}
	for _, e := range doc.Entries {
		out = append(out, e.Title)
	}
	return out
}

func regexpMust(re string) *regexp.Regexp { return regexp.MustCompile(re) }
