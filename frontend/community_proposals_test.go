package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
	want(t, bob.get(page+"?done=voted"), http.StatusOK, "Your vote: <strong>Yes</strong>", "Turnout: 1 of 2 eligible members.")
	want(t, bob.post(page, page+"/vote", url.Values{"option": {"Maybe"}}), http.StatusUnprocessableEntity, "no option &#34;Maybe&#34;")
	want(t, cleo.post(page, page+"/vote", url.Values{"option": {"No"}}), http.StatusSeeOther)
	want(t, cleo.get(page), http.StatusOK, "your vote is advisory")

	anon := newBrowser(t, inst)
	body := anon.get(page)
	want(t, body, http.StatusOK, "<em>need</em>", "Turnout: 1 of 2 eligible members.")
	if strings.Contains(body.Body, `name="option"`) {
		t.Fatal("an anonymous reader is offered the vote form")
	}

	want(t, bob.post(page, page+"/withdraw", url.Values{}), http.StatusForbidden)
	want(t, ada.post(page, page+"/withdraw", url.Values{}), http.StatusSeeOther)
	want(t, ada.get(page), http.StatusOK, "<strong>withdrawn</strong>", "Withdrawn before the vote closed.")
}
