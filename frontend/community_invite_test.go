package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCommunityInviteAndRefusals: people who may not offer or post are told why
// and how to join instead of being shown the form, and a refused submission
// keeps what they typed; maintainers invite by handle from the community page
// (a bad handle stays in the form with its error); the invitee accepts and may
// then offer; maintainers see the pending membership requests in the page's
// navigation.
func TestCommunityInviteAndRefusals(t *testing.T) {
	inst, ada := startWithAdmin(t)
	lodge := communityForm("lodge", "PPL")
	lodge.Set("membership_policy", "invitation")
	lodge.Set("posting_policy", "members")
	want(t, ada.post("/communities/new", "/communities", lodge), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)

	const why = "Only members may offer contributions here. Membership is by invitation: ask a maintainer to invite you."
	p := bob.get("/c/lodge")
	want(t, p, http.StatusOK, why)
	for _, absent := range []string{`href="/c/lodge/offer"`, `href="/c/lodge/post"`, `action="/c/lodge/invite"`} {
		if strings.Contains(p.Body, absent) {
			t.Fatalf("a non-member is shown %s", absent)
		}
	}
	for path, form := range map[string]string{"/c/lodge/offer": `action="/c/lodge/offer"`, "/c/lodge/post": `action="/c/lodge/post"`} {
		p := bob.get(path)
		want(t, p, http.StatusOK, "Only members may", "ask a maintainer to invite you")
		if strings.Contains(p.Body, form) {
			t.Fatalf("%s shows its form to a non-member", path)
		}
	}
	want(t, bob.post("/c/lodge", "/c/lodge/offer", url.Values{"title": {"My seed drill plans"}, "body": {"Long text I typed"},
		"kind": {"design"}, "licence": {"PPL"}}), http.StatusForbidden, `value="My seed drill plans"`, "Long text I typed")
	want(t, bob.post("/c/lodge", "/c/lodge/post", url.Values{"content": {"A thought I typed"}}), http.StatusForbidden, "A thought I typed")

	want(t, bob.post("/c/lodge", "/c/lodge/invite", url.Values{"invitee": {"@bob"}}), http.StatusForbidden)
	want(t, ada.get("/c/lodge/members"), http.StatusOK, `action="/c/lodge/invite"`)
	want(t, ada.post("/c/lodge", "/c/lodge/invite", url.Values{"invitee": {"@nobody"}}), http.StatusNotFound,
		`id="f-invitee-error"`, `value="@nobody"`, `autofocus`)
	p = ada.post("/c/lodge", "/c/lodge/invite", url.Values{"invitee": {"@bob"}})
	if p.Status != http.StatusSeeOther || p.Location != "/c/lodge/members?done=invited#invite" {
		t.Fatalf("invite: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	want(t, ada.get("/c/lodge/members?done=invited"), http.StatusOK, "Invitation sent")
	want(t, ada.post("/c/lodge", "/c/lodge/invite", url.Values{"invitee": {"@bob"}}), http.StatusConflict, "already a member or invited", `value="@bob"`)
	want(t, bob.get("/c/lodge"), http.StatusOK, "Accept the invitation")
	want(t, bob.post("/c/lodge", "/c/lodge/join", url.Values{}), http.StatusSeeOther)
	p = bob.get("/c/lodge/offer")
	want(t, p, http.StatusOK, `action="/c/lodge/offer"`)
	if strings.Contains(bob.get("/c/lodge").Body, why) {
		t.Fatal("a member is still told to get invited")
	}

	seeds := communityForm("seeds", "PPL")
	seeds.Set("membership_policy", "approval")
	want(t, ada.post("/communities/new", "/communities", seeds), http.StatusSeeOther)
	want(t, bob.get("/c/seeds"), http.StatusOK, "Ask to join on the community&#39;s page; a maintainer answers requests.")
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	want(t, ada.get("/c/seeds"), http.StatusOK, `<a href="/c/seeds/members#requests">Membership requests (1)</a>`)
}
