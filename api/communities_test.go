package api_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
)

// The client-side shapes the tests read.
type actorRef struct{ URI, Handle string }

type community struct {
	ID, URI, Handle string
	Local           bool
	Settings        *struct {
		Licence          struct{ ID, Name string }
		OfferPolicy      string `json:"offer_policy"`
		MembershipPolicy string `json:"membership_policy"`
		MemberCount      int    `json:"member_count"`
		WeightMin        int    `json:"weight_min"`
		WeightMax        int    `json:"weight_max"`
		Maintainers      []struct{ Handle, Role string }
	}
	Viewer *struct{ Role, State string }
}

type member struct {
	ID          string
	Actor       actorRef
	Role, State string
}

type contribution struct {
	ID, URI, Title, Kind, State, Reason string
	URLs                                []string
	Licence                             struct{ ID, Name string }
	Contributors                        []actorRef
	Pending                             []actorRef `json:"pending_contributors"`
	CreditCode                          string     `json:"credit_code"`
	Community                           actorRef
	Comments                            []struct {
		Author         actorRef
		Body           string
		RequestChanges bool `json:"request_changes"`
	}
}

type ledgerEntry struct {
	ID           string
	Contributor  actorRef
	Contribution struct{ ID, URI, Title string }
	Kind         string
	Weight       int
}

type discussion struct {
	ID, URI, Title, Content, Visibility string
	Author                              actorRef
	Locked                              bool
}

// newCommunity founds a community through the API; extra fields override the
// defaults.
func newCommunity(t *testing.T, inst *apptest.Instance, token, handle string, extra map[string]any) community {
	t.Helper()
	body := map[string]any{"handle": handle, "name": "The " + handle, "licence": "CC-BY-SA-4.0", "weight_min": 1, "weight_max": 5}
	for k, v := range extra {
		body[k] = v
	}
	r := call(t, inst, "POST", "/api/v1/communities", token, body)
	expect(t, r, http.StatusCreated)
	var com community
	r.json(t, &com)
	return com
}

func TestCommunityLocalFlow(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	base := "/api/v1/communities/seeds"

	com := newCommunity(t, inst, fern, "seeds", map[string]any{"summary": "Open seed library", "charter": "Share *seeds*."})
	if com.Handle != "@seeds@"+inst.Host || !com.Local || com.Settings == nil || com.Settings.Licence.ID != "CC-BY-SA-4.0" ||
		com.Settings.OfferPolicy != "members" || com.Viewer == nil || com.Viewer.Role != "steward" || com.Settings.MemberCount != 1 {
		t.Fatalf("created %+v %+v", com, com.Settings)
	}
	expect(t, call(t, inst, "POST", "/api/v1/communities", fern, map[string]any{"handle": "seeds", "licence": "MIT"}), http.StatusConflict)
	expect(t, call(t, inst, "POST", "/api/v1/communities", fern, map[string]any{"handle": "other", "licence": "nope"}), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", "/api/v1/communities", "", map[string]any{"handle": "anon", "licence": "MIT"}), http.StatusUnauthorized)

	// The directory and every form of the handle.
	r := call(t, inst, "GET", "/api/v1/communities?q=SEED", "", nil)
	expect(t, r, http.StatusOK)
	var dir []community
	r.json(t, &dir)
	if len(dir) != 1 || dir[0].URI != com.URI || dir[0].Viewer != nil {
		t.Fatalf("directory %s", r.Body)
	}
	for _, h := range []string{"seeds", "@seeds", "@seeds@" + inst.Host, url.PathEscape("@seeds@" + inst.Host), url.PathEscape(com.URI)} {
		r := call(t, inst, "GET", "/api/v1/communities/"+h, "", nil)
		expect(t, r, http.StatusOK)
		var got community
		r.json(t, &got)
		if got.ID != com.ID || got.Viewer != nil || len(got.Settings.Maintainers) != 1 || got.Settings.Maintainers[0].Handle != "@fern@"+inst.Host {
			t.Fatalf("%s: %s", h, r.Body)
		}
	}
	expect(t, call(t, inst, "GET", "/api/v1/communities/fern", "", nil), http.StatusNotFound) // a Person
	expect(t, call(t, inst, "GET", "/api/v1/communities/nothing", "", nil), http.StatusNotFound)

	// milo joins (open membership) and offers, naming fern too: fern is pending
	// until she confirms.
	r = call(t, inst, "POST", base+"/join", milo, nil)
	expect(t, r, http.StatusOK)
	var m member
	r.json(t, &m)
	if m.State != "active" || m.Role != "member" || m.Actor.Handle != "@milo@"+inst.Host {
		t.Fatalf("join %s", r.Body)
	}
	r = call(t, inst, "POST", base+"/contributions", milo, map[string]any{"title": "Tomato varieties", "body": "A *list*.",
		"kind": "knowledge", "links": []string{"https://example.org/tomatoes"}, "co_contributors": []string{"fern"}})
	expect(t, r, http.StatusCreated)
	var co contribution
	r.json(t, &co)
	if co.State != "open" || co.Licence.ID != "CC-BY-SA-4.0" || co.Licence.Name != "CC-BY-SA-4.0" || len(co.URLs) != 1 ||
		len(co.Contributors) != 1 || co.Contributors[0].Handle != "@milo@"+inst.Host ||
		len(co.Pending) != 1 || co.Pending[0].Handle != "@fern@"+inst.Host || co.CreditCode != "credit-"+strings.ToLower(co.ID) ||
		co.Community.URI != com.URI {
		t.Fatalf("offer %s", r.Body)
	}
	expect(t, call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/confirm_credit", milo, nil), http.StatusConflict) // already credited
	rc := call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/confirm_credit", fern, nil)
	expect(t, rc, http.StatusOK)
	var confirmed contribution
	rc.json(t, &confirmed)
	if len(confirmed.Contributors) != 2 || confirmed.Contributors[1].Handle != "@fern@"+inst.Host || len(confirmed.Pending) != 0 || confirmed.CreditCode != "" {
		t.Fatalf("after fern confirmed: %s", rc.Body)
	}
	if loc := r.Header.Get("Location"); !strings.HasSuffix(loc, "/api/v1/contributions/"+co.ID) {
		t.Fatalf("Location %q", loc)
	}
	r = call(t, inst, "GET", base+"/contributions?state=open", "", nil)
	expect(t, r, http.StatusOK)
	var open []contribution
	r.json(t, &open)
	if len(open) != 1 || open[0].ID != co.ID {
		t.Fatalf("open %s", r.Body)
	}

	// Review: fern requests changes, milo answers, fern accepts.
	r = call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/comments", fern, map[string]any{"body": "Add sources", "request_changes": true})
	expect(t, r, http.StatusCreated)
	if got := getContribution(t, inst, co.ID); got.State != "changes_requested" {
		t.Fatalf("state %s", got.State)
	}
	expect(t, call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/comments", milo, map[string]any{"body": "Done", "request_changes": true}), http.StatusForbidden)
	expect(t, call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/comments", milo, map[string]any{"body": "Added."}), http.StatusCreated)
	r = call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/accept", fern, nil)
	expect(t, r, http.StatusOK)
	r.json(t, &co)
	if co.State != "accepted" {
		t.Fatalf("accept %s", r.Body)
	}
	expect(t, call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/accept", fern, nil), http.StatusConflict)
	got := getContribution(t, inst, co.ID)
	if len(got.Comments) != 2 || got.Comments[0].Author.Handle != "@fern@"+inst.Host || !got.Comments[0].RequestChanges || got.Comments[1].Body != "Added." {
		t.Fatalf("comments %+v", got.Comments)
	}

	// The commons, the ledger and its CSV export.
	r = call(t, inst, "GET", base+"/commons?q=tomato", "", nil)
	expect(t, r, http.StatusOK)
	var commons []contribution
	r.json(t, &commons)
	if len(commons) != 1 || commons[0].ID != co.ID || r.Header.Get("X-Total-Count") != "1" {
		t.Fatalf("commons %s %v", r.Body, r.Header)
	}
	r = call(t, inst, "GET", base+"/commons?q=potato", "", nil)
	r.json(t, &commons)
	if len(commons) != 0 {
		t.Fatalf("search %s", r.Body)
	}
	ledger := getLedger(t, inst, base)
	if len(ledger) != 2 {
		t.Fatalf("ledger %+v", ledger)
	}
	var miloEntry ledgerEntry
	for _, e := range ledger {
		if e.Contributor.Handle == "@milo@"+inst.Host {
			miloEntry = e
		}
		if e.Kind != "knowledge" || e.Weight != 1 || e.Contribution.ID != co.ID || e.Contribution.Title != "Tomato varieties" {
			t.Fatalf("entry %+v", e)
		}
	}
	weights := []struct {
		name   string
		token  string
		weight any
		status int
	}{
		{"within bounds", fern, 4, http.StatusNoContent},
		{"above the charter's maximum", fern, 6, http.StatusUnprocessableEntity},
		{"below the charter's minimum", fern, 0, http.StatusUnprocessableEntity},
		{"missing", fern, nil, http.StatusUnprocessableEntity},
		{"by a plain member", milo, 3, http.StatusForbidden},
		{"anonymous", "", 3, http.StatusUnauthorized},
	}
	for _, tc := range weights {
		t.Run("weight "+tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "PUT", base+"/ledger/"+miloEntry.ID, tc.token, map[string]any{"weight": tc.weight}), tc.status)
		})
	}
	expect(t, call(t, inst, "PUT", base+"/ledger/nope", fern, map[string]any{"weight": 2}), http.StatusNotFound)
	for _, e := range getLedger(t, inst, base) {
		if e.ID == miloEntry.ID && e.Weight != 4 {
			t.Fatalf("weight %d after the rejected changes", e.Weight)
		}
	}
	r = call(t, inst, "GET", base+"/ledger.csv", "", nil)
	expect(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "seeds-ledger.csv") {
		t.Fatalf("headers %v", r.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "contributor,kind,contribution,weight,recorded_at" {
		t.Fatalf("csv %q %v", r.Body, err)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == "milo@"+inst.Host {
			found = true
			if row[1] != "knowledge" || row[2] != co.URI || row[3] != "4" {
				t.Fatalf("csv row %q", row)
			}
			if _, err := time.Parse(time.RFC3339, row[4]); err != nil {
				t.Fatalf("recorded_at %q", row[4])
			}
		}
	}
	if !found {
		t.Fatalf("milo missing from %q", rows)
	}

	// Members, the role log, discussions.
	expect(t, call(t, inst, "GET", base+"/members", "", nil), http.StatusForbidden) // members_public is false
	r = call(t, inst, "GET", base+"/members", milo, nil)
	expect(t, r, http.StatusOK)
	var members []member
	r.json(t, &members)
	if len(members) != 2 {
		t.Fatalf("members %s", r.Body)
	}
	expect(t, call(t, inst, "GET", base+"/members?state=pending", milo, nil), http.StatusForbidden)
	expect(t, call(t, inst, "GET", base+"/members?state=pending", fern, nil), http.StatusOK)
	expect(t, call(t, inst, "GET", base+"/members?state=gone", fern, nil), http.StatusBadRequest)
	expect(t, call(t, inst, "GET", base+"/roles/log", "", nil), http.StatusForbidden)
	r = call(t, inst, "GET", base+"/roles/log", milo, nil)
	expect(t, r, http.StatusOK)
	var log []struct {
		Actor   actorRef
		NewRole string `json:"new_role"`
	}
	r.json(t, &log)
	if len(log) != 2 || log[0].Actor.Handle != "@milo@"+inst.Host || log[0].NewRole != "member" || log[1].NewRole != "steward" {
		t.Fatalf("log %s", r.Body)
	}

	r = call(t, inst, "POST", base+"/discussions", milo, map[string]any{"content": "Who has *beans*?"})
	expect(t, r, http.StatusCreated)
	var post discussion
	r.json(t, &post)
	if post.Author.Handle != "@milo@"+inst.Host || post.Visibility != "public" || !strings.Contains(post.Content, "<em>beans</em>") {
		t.Fatalf("post %s", r.Body)
	}
	expect(t, call(t, inst, "POST", base+"/discussions", milo, map[string]any{"content": "psst", "visibility": "direct"}), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", milo, map[string]any{"action": "lock"}), http.StatusForbidden)
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", fern, map[string]any{"action": "shout"}), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", fern, map[string]any{"action": "lock"}), http.StatusNoContent)
	posts := getDiscussions(t, inst, base)
	if len(posts) != 1 || posts[0].ID != post.ID || !posts[0].Locked || posts[0].Title == "" {
		t.Fatalf("discussions %+v", posts)
	}
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", fern, map[string]any{"action": "remove"}), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", fern, map[string]any{"action": "remove", "reason": "off topic"}), http.StatusNoContent)
	if posts := getDiscussions(t, inst, base); len(posts) != 0 {
		t.Fatalf("removed post still listed: %+v", posts)
	}

	// milo leaves; the last steward cannot.
	expect(t, call(t, inst, "POST", base+"/leave", milo, nil), http.StatusNoContent)
	expect(t, call(t, inst, "POST", base+"/leave", milo, nil), http.StatusNotFound)
	expect(t, call(t, inst, "POST", base+"/leave", fern, nil), http.StatusConflict)
}

func getContribution(t *testing.T, inst *apptest.Instance, id string) contribution {
	t.Helper()
	r := call(t, inst, "GET", "/api/v1/contributions/"+id, "", nil)
	expect(t, r, http.StatusOK)
	var co contribution
	r.json(t, &co)
	return co
}

func getLedger(t *testing.T, inst *apptest.Instance, base string) []ledgerEntry {
	t.Helper()
	r := call(t, inst, "GET", base+"/ledger", "", nil)
	expect(t, r, http.StatusOK)
	var out []ledgerEntry
	r.json(t, &out)
	return out
}

func getDiscussions(t *testing.T, inst *apptest.Instance, base string) []discussion {
	t.Helper()
	r := call(t, inst, "GET", base+"/discussions", "", nil)
	expect(t, r, http.StatusOK)
	var out []discussion
	r.json(t, &out)
	return out
}

// TestCommunityAuthorization: each refused action is refused with the right status
// and leaves nothing behind.
func TestCommunityAuthorization(t *testing.T) {
	inst := start(t)
	ctx := context.Background()
	steward := userWithToken(t, inst, "stella", "member")
	maint := userWithToken(t, inst, "mara", "member")
	memb := userWithToken(t, inst, "moss", "member")
	outsider := userWithToken(t, inst, "otto", "member")
	base := "/api/v1/communities/garden"
	com := newCommunity(t, inst, steward, "garden", map[string]any{"membership_policy": "approval", "members_public": true})

	// mara and moss ask to join; stella approves them, then makes mara a maintainer.
	for _, tok := range []string{maint, memb} {
		r := call(t, inst, "POST", base+"/join", tok, nil)
		expect(t, r, http.StatusOK)
		var m member
		r.json(t, &m)
		if m.State != "pending" {
			t.Fatalf("join under approval: %s", r.Body)
		}
	}
	expect(t, call(t, inst, "GET", base+"/members?state=pending", memb, nil), http.StatusForbidden)
	r := call(t, inst, "GET", base+"/members?state=pending", steward, nil)
	expect(t, r, http.StatusOK)
	var pending []member
	r.json(t, &pending)
	if len(pending) != 2 {
		t.Fatalf("pending %s", r.Body)
	}
	for _, p := range pending {
		expect(t, call(t, inst, "POST", base+"/members/"+p.ID+"/approve", memb, nil), http.StatusForbidden)
		r := call(t, inst, "POST", base+"/members/"+p.ID+"/approve", steward, nil)
		expect(t, r, http.StatusOK)
		var m member
		r.json(t, &m)
		if m.State != "active" || m.Actor.URI != p.Actor.URI {
			t.Fatalf("approve %s", r.Body)
		}
		expect(t, call(t, inst, "POST", base+"/members/"+p.ID+"/refuse", steward, nil), http.StatusConflict)
	}
	r = call(t, inst, "PUT", base+"/members/mara/role", steward, map[string]string{"role": "maintainer"})
	expect(t, r, http.StatusOK)
	// Only maintainers invite.
	expect(t, call(t, inst, "POST", base+"/invites", memb, map[string]string{"actor": "otto"}), http.StatusForbidden)

	r = call(t, inst, "POST", base+"/contributions", memb, map[string]any{"title": "Compost guide", "kind": "knowledge"})
	expect(t, r, http.StatusCreated)
	var co contribution
	r.json(t, &co)
	group, _, err := inst.App.Svc.Communities.Local(ctx, "garden")
	if err != nil {
		t.Fatal(err)
	}
	stored := func() int {
		list, err := inst.App.Svc.Communities.OpenContributions(ctx, group, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	stateIs := func(want string) func(t *testing.T) {
		return func(t *testing.T) {
			if got := getContribution(t, inst, co.ID); got.State != want {
				t.Fatalf("state %s, want %s", got.State, want)
			}
		}
	}
	maraURL := url.PathEscape(inst.ActorURL("mara"))

	cases := []struct {
		name   string
		token  string
		method string
		path   string
		body   any
		status int
		after  func(t *testing.T)
	}{
		{"non-member offers under the members policy", outsider, "POST", base + "/contributions",
			map[string]any{"title": "Sneaky", "kind": "code"}, http.StatusForbidden,
			func(t *testing.T) {
				if n := stored(); n != 1 {
					t.Fatalf("%d open contributions stored, want 1", n)
				}
			}},
		{"offer under another licence", memb, "POST", base + "/contributions",
			map[string]any{"title": "MIT code", "licence": "MIT"}, http.StatusUnprocessableEntity, nil},
		{"plain member accepts", memb, "POST", "/api/v1/contributions/" + co.ID + "/accept", nil, http.StatusForbidden, stateIs("open")},
		{"outsider accepts", outsider, "POST", "/api/v1/contributions/" + co.ID + "/accept", nil, http.StatusForbidden, stateIs("open")},
		{"anonymous accept", "", "POST", "/api/v1/contributions/" + co.ID + "/accept", nil, http.StatusUnauthorized, stateIs("open")},
		{"reject without a reason", maint, "POST", "/api/v1/contributions/" + co.ID + "/reject", map[string]any{}, http.StatusUnprocessableEntity, stateIs("open")},
		{"reject with a blank reason", maint, "POST", "/api/v1/contributions/" + co.ID + "/reject", map[string]any{"reason": "  "}, http.StatusUnprocessableEntity, stateIs("open")},
		{"plain member rejects", memb, "POST", "/api/v1/contributions/" + co.ID + "/reject", map[string]any{"reason": "no"}, http.StatusForbidden, stateIs("open")},
		{"unknown contribution", maint, "POST", "/api/v1/contributions/nope/accept", nil, http.StatusNotFound, nil},
		{"maintainer changes a role", maint, "PUT", base + "/members/moss/role", map[string]string{"role": "steward"}, http.StatusForbidden, nil},
		{"member changes own role", memb, "PUT", base + "/members/moss/role", map[string]string{"role": "steward"}, http.StatusForbidden, nil},
		{"last steward steps down", steward, "PUT", base + "/members/stella/role", map[string]string{"role": "member"}, http.StatusConflict, nil},
		{"unknown role", steward, "PUT", base + "/members/moss/role", map[string]string{"role": "king"}, http.StatusUnprocessableEntity, nil},
		{"role of a non-member", steward, "PUT", base + "/members/otto/role", map[string]string{"role": "member"}, http.StatusNotFound, nil},
		{"role by escaped actor URL", steward, "PUT", base + "/members/" + maraURL + "/role", map[string]string{"role": "maintainer"}, http.StatusOK, nil},
		{"maintainer invites", maint, "POST", base + "/invites", map[string]string{"actor": "otto"}, http.StatusCreated, nil},
		{"invite twice", maint, "POST", base + "/invites", map[string]string{"actor": "otto"}, http.StatusConflict, nil},
		{"member of a remote community's list", steward, "GET", "/api/v1/communities/@x@elsewhere.example/members", nil, http.StatusNotFound, nil},
		{"remote lookup needs a login", "", "GET", "/api/v1/communities/@x@elsewhere.example", nil, http.StatusUnauthorized, nil},
		{"bad token on a public route", "nope", "GET", base, nil, http.StatusUnauthorized, nil},
		{"maintainer rejects with a reason", maint, "POST", "/api/v1/contributions/" + co.ID + "/reject", map[string]any{"reason": "Duplicate"}, http.StatusOK,
			func(t *testing.T) {
				got := getContribution(t, inst, co.ID)
				if got.State != "rejected" || got.Reason != "Duplicate" {
					t.Fatalf("rejected %+v", got)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, tc.method, tc.path, tc.token, tc.body), tc.status)
			if tc.after != nil {
				tc.after(t)
			}
		})
	}

	// otto joins through the invitation (the policy is approval, but invited is enough).
	r = call(t, inst, "POST", base+"/join", outsider, nil)
	expect(t, r, http.StatusOK)
	var m member
	r.json(t, &m)
	if m.State != "active" {
		t.Fatalf("join by invitation %s", r.Body)
	}
	// Once there is a second steward, the first may step down.
	expect(t, call(t, inst, "PUT", base+"/members/mara/role", steward, map[string]string{"role": "steward"}), http.StatusOK)
	expect(t, call(t, inst, "PUT", base+"/members/stella/role", steward, map[string]string{"role": "member"}), http.StatusOK)
	r = call(t, inst, "GET", base, steward, nil)
	var got community
	r.json(t, &got)
	if got.Viewer == nil || got.Viewer.Role != "member" || got.ID != com.ID {
		t.Fatalf("after stepping down %s", r.Body)
	}
}

// TestRemoteCommunityThroughAPI: carl on C joins a community on A and offers to it
// through C's API; maria accepts through A's API; C sees the acceptance.
func TestRemoteCommunityThroughAPI(t *testing.T) {
	a, c := start(t), start(t)
	maria := userWithToken(t, a, "maria", "member")
	carl := userWithToken(t, c, "carl", "member")
	newCommunity(t, a, maria, "wiki", nil)
	remote := "/api/v1/communities/@wiki@" + a.Host

	r := call(t, c, "GET", remote, carl, nil)
	expect(t, r, http.StatusOK)
	var seen community
	r.json(t, &seen)
	if seen.Local || seen.Settings != nil || seen.URI != a.URL+"/users/wiki" || seen.Handle != "@wiki@"+a.Host {
		t.Fatalf("remote community %s", r.Body)
	}
	expect(t, call(t, c, "POST", remote+"/join", carl, nil), http.StatusOK)
	eventually(t, "C's join accepted", func() bool {
		r := call(t, c, "GET", remote, carl, nil)
		var got community
		r.json(t, &got)
		return got.Viewer != nil && got.Viewer.State == "active"
	})
	r = call(t, c, "POST", remote+"/contributions", carl, map[string]any{"title": "Translate the intro",
		"kind": "translation", "licence": "CC-BY-SA-4.0", "links": []string{"https://example.org/mr/1"}})
	expect(t, r, http.StatusCreated)
	var offered contribution
	r.json(t, &offered)
	if offered.State != "open" || offered.Community.URI != seen.URI {
		t.Fatalf("offer %s", r.Body)
	}
	expect(t, call(t, c, "POST", remote+"/contributions", carl, map[string]any{"title": "No licence"}), http.StatusUnprocessableEntity)

	var onA contribution
	eventually(t, "the offer arrives on A", func() bool {
		r := call(t, a, "GET", "/api/v1/communities/wiki/contributions", maria, nil)
		var list []contribution
		r.json(t, &list)
		if len(list) == 1 {
			onA = list[0]
		}
		return len(list) == 1
	})
	if onA.URI != offered.URI || len(onA.Contributors) != 1 || onA.Contributors[0].Handle != "@carl@"+c.Host {
		t.Fatalf("on A %+v", onA)
	}
	expect(t, call(t, c, "POST", "/api/v1/contributions/"+offered.ID+"/accept", carl, nil), http.StatusForbidden)
	expect(t, call(t, a, "POST", "/api/v1/contributions/"+onA.ID+"/accept", maria, nil), http.StatusOK)
	eventually(t, "C sees its contribution accepted", func() bool {
		return getContribution(t, c, offered.ID).State == "accepted"
	})
	ledger := getLedger(t, a, "/api/v1/communities/wiki")
	if len(ledger) != 1 || ledger[0].Contributor.Handle != "@carl@"+c.Host || ledger[0].Kind != "translation" {
		t.Fatalf("ledger on A %+v", ledger)
	}
}
