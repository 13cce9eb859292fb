package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/service"
)

// TestProposalPages: a member opens a proposal with the form, another votes
// and changes their vote, a non-member's vote is advisory, anonymous readers
// see the tally without a vote form, refusals are shown on the page, and the
// author withdraws it.
func TestProposalPages(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	if _, _, err := inst.App.Svc.Communities.Create(ctx, user(t, inst, "ada"), service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	cleo := newBrowser(t, inst)
	cleo.signup("cleo", nil)

	want(t, cleo.get("/c/seeds/proposals"), http.StatusOK, "No proposals yet.")
	if strings.Contains(cleo.get("/c/seeds/proposals").Body, "Open a proposal") {
		t.Fatal("a non-member is offered the proposal form")
	}
	want(t, cleo.post("/c/seeds", "/c/seeds/proposals", url.Values{"title": {"x"}, "days": {"3"}}), http.StatusForbidden)
	want(t, ada.post("/c/seeds/proposals", "/c/seeds/proposals", url.Values{"title": {""}, "days": {"3"}}),
		http.StatusUnprocessableEntity, "a title of 1 to 300 characters is required")
	p := ada.post("/c/seeds/proposals", "/c/seeds/proposals", url.Values{"title": {"Buy a seed drill"}, "motion": {"We *need* it."},
		"kind": {"motion"}, "method": {"majority"}, "days": {"3"}})
	want(t, p, http.StatusSeeOther)
	page := p.Location
	if !strings.HasPrefix(page, "/c/seeds/proposals/") {
		t.Fatalf("redirected to %q", page)
	}
	want(t, ada.get("/c/seeds/proposals"), http.StatusOK, "Buy a seed drill")
	// The Question's id, opened in a browser, leads to the page.
	id := strings.TrimPrefix(page, "/c/seeds/proposals/")
	if r := ada.get("/proposals/" + id); r.Status != http.StatusSeeOther || r.Location != page {
		t.Fatalf("GET /proposals/%s as HTML: %d %q", id, r.Status, r.Location)
	}

	want(t, bob.post(page, page+"/vote", url.Values{"option": {"No"}}), http.StatusSeeOther)
	want(t, bob.post(page, page+"/vote", url.Values{"option": {"Yes"}}), http.StatusSeeOther)
	want(t, bob.get(page+"?done=voted"), http.StatusOK, "Your vote: <strong>Yes</strong>", "Turnout: 1 of 2 eligible members")
	want(t, bob.post(page, page+"/vote", url.Values{"option": {"Maybe"}}), http.StatusUnprocessableEntity, "no option &#34;Maybe&#34;")
	want(t, cleo.post(page, page+"/vote", url.Values{"option": {"No"}}), http.StatusSeeOther)
	want(t, cleo.get(page), http.StatusOK, "your vote is advisory")

	anon := newBrowser(t, inst)
	body := anon.get(page)
	want(t, body, http.StatusOK, "<em>need</em>", "Turnout: 1 of 2 eligible members")
	if strings.Contains(body.Body, `name="option"`) {
		t.Fatal("an anonymous reader is offered the vote form")
	}

	want(t, bob.post(page, page+"/withdraw", url.Values{}), http.StatusForbidden)
	want(t, ada.post(page, page+"/withdraw", url.Values{}), http.StatusSeeOther)
	want(t, ada.get(page), http.StatusOK, "<strong>withdrawn</strong>", "Withdrawn before the vote closed.")
}

// TestGovernancePages: the settings page (a steward saves, a member only
// reads, entrenched settings show no form), an anyOf vote with a reason, a
// revision, the governance log and the proposals feeds, and the open
// proposals a member has not voted on listed on their home page.
func TestGovernancePages(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	if _, _, err := inst.App.Svc.Communities.Create(ctx, user(t, inst, "ada"), service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)

	want(t, bob.get("/c/seeds/governance"), http.StatusOK, "Who may open proposals: <strong>members</strong>")
	if strings.Contains(bob.get("/c/seeds/governance").Body, "Save the settings") {
		t.Fatal("a member is offered the settings form")
	}
	want(t, bob.post("/c/seeds/governance", "/c/seeds/governance", url.Values{"who_may_propose": {"stewards"}}), http.StatusForbidden)
	form := url.Values{"who_may_propose": {"maintainers"}, "lazy_escalation": {"majority"}}
	for _, k := range []string{"motion", "admit_member", "remove_member", "grant_role", "revoke_role", "amend_charter", "change_settings", "change_governance_settings", "accept_contribution"} {
		form.Set(k+".method", "majority")
		form.Set(k+".quorum_num", "1")
		form.Set(k+".quorum_den", "3")
		form.Set(k+".window_hours", "48")
	}
	want(t, ada.post("/c/seeds/governance", "/c/seeds/governance", form), http.StatusSeeOther)
	want(t, ada.get("/c/seeds/governance?done=saved"), http.StatusOK, "The settings are saved.", "<strong>maintainers</strong>", "leads to a majority vote")
	want(t, bob.post("/c/seeds/proposals", "/c/seeds/proposals", url.Values{"title": {"x"}}), http.StatusForbidden, "only maintainers")

	p := ada.post("/c/seeds/proposals", "/c/seeds/proposals", url.Values{"title": {"Shed colour"}, "kind": {"motion"}, "method": {"choice"},
		"choice": {"anyOf"}, "options": {"Red\nGreen\nBlue"}, "ballot_mode": {"open"}})
	want(t, p, http.StatusSeeOther)
	page := p.Location
	want(t, bob.get("/home"), http.StatusOK, "Shed colour")
	want(t, bob.post(page, page+"/vote", url.Values{"option": {"Red", "Blue"}, "reason": {"Bright colours."}}), http.StatusSeeOther)
	want(t, bob.get(page), http.StatusOK, "Your vote: <strong>Blue, Red</strong>", `type="checkbox" name="option" value="Red" checked`)
	if strings.Contains(bob.get("/home").Body, "Shed colour") {
		t.Fatal("a proposal bob voted on is still listed as awaiting his vote")
	}
	want(t, bob.post(page, page+"/revise", url.Values{"title": {"Mine now"}}), http.StatusForbidden)
	r := ada.post(page, page+"/revise", url.Values{"title": {"Colour of the shed"}, "motion": {"Second try"}})
	want(t, r, http.StatusSeeOther)
	want(t, ada.get(r.Location), http.StatusOK, "Colour of the shed", "This revises")
	want(t, ada.get(page), http.StatusOK, "Replaced by", "Withdrawn for a revision")
	want(t, anonGet(t, inst, "/c/seeds/governance/log"), http.StatusOK, "Shed colour", "withdrawn")
	want(t, anonGet(t, inst, "/c/seeds/proposals.atom"), http.StatusOK, "<feed", "Proposal: Colour of the shed", "Outcome (withdrawn): Shed colour")
	want(t, anonGet(t, inst, "/c/seeds/proposals.rss"), http.StatusOK, "<rss", "Proposal: Shed colour")

	want(t, ada.post("/c/seeds/governance", "/c/seeds/governance", url.Values{"entrenched": {"1"}, "who_may_propose": {"members"}}), http.StatusSeeOther)
	want(t, ada.get("/c/seeds/governance"), http.StatusOK, "Entrenched:")
	if strings.Contains(ada.get("/c/seeds/governance").Body, "Save the settings") {
		t.Fatal("entrenched settings still offer the form")
	}
}

func anonGet(t *testing.T, inst *apptest.Instance, path string) page {
	t.Helper()
	return newBrowser(t, inst).get(path)
}
