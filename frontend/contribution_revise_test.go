package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestContributionReviseFlow: changes requested, the contributor revises on
// the form, the page shows the revisions with a diff interleaved with the
// comments; a rejected offer is reopened by a revision; comments after the
// decision; withdrawing.
func TestContributionReviseFlow(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	id := contributionID(t, bob.post("/c/seeds/offer", "/c/seeds/offer", url.Values{"title": {"Tomato catalogue"},
		"body": {"Forty varieties.\nSown in March."}, "kind": {"knowledge"}, "links": {"https://wiki.example/tomatoes"}, "licence": {"PPL"}}))
	cpath := "/contributions/" + id

	// Only the contributor is offered the revise form.
	want(t, bob.get(cpath), http.StatusOK, `href="`+cpath+`/revise"`, `action="`+cpath+`/withdraw"`)
	if p := ada.get(cpath); strings.Contains(p.Body, cpath+"/revise") {
		t.Fatal("the maintainer is offered the revise form")
	}
	want(t, ada.get(cpath+"/revise"), http.StatusForbidden)
	want(t, ada.post(cpath+"/revise", cpath+"/revise", url.Values{"title": {"mine"}}), http.StatusForbidden)

	want(t, ada.post(cpath, cpath+"/comment", url.Values{"body": {"Please add sowing dates."}, "request_changes": {"1"}}), http.StatusSeeOther)
	want(t, bob.get(cpath+"/revise"), http.StatusOK, `value="Tomato catalogue"`, "Sown in March.")
	want(t, bob.post(cpath+"/revise", cpath+"/revise", url.Values{"title": {" "}}), http.StatusUnprocessableEntity, "title is required")
	p := bob.post(cpath+"/revise", cpath+"/revise", url.Values{"title": {"Tomato catalogue with dates"},
		"body": {"Forty varieties.\nSown in February."}, "links": {"https://wiki.example/tomatoes\nhttps://wiki.example/dates"}})
	if p.Status != http.StatusSeeOther || p.Location != cpath+"?done=revised#review" {
		t.Fatalf("revise: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	page := ada.get(cpath)
	want(t, page, http.StatusOK, "Open for review", "Revision 2</strong> (current)", "Revision 1</strong>",
		"<del>Tomato catalogue</del> → <ins>Tomato catalogue with dates</ins>",
		"<del>- Sown in March.</del>", "<ins>+ Sown in February.</ins>", "<span>  Forty varieties.</span>",
		"Link added: <a href=\"https://wiki.example/dates\"", "on revision 1")
	// The timeline: revision 1, the request, revision 2.
	r1, req, r2 := strings.Index(page.Body, `id="rev-1"`), strings.Index(page.Body, "Please add sowing dates."), strings.Index(page.Body, `id="rev-2"`)
	if r1 < 0 || !(r1 < req && req < r2) {
		t.Fatalf("timeline order: rev1 %d, comment %d, rev2 %d", r1, req, r2)
	}

	// Rejected, then reopened by a revision; comments stay possible.
	want(t, ada.post(cpath, cpath+"/decide", url.Values{"decision": {"reject"}, "reason": {"Needs photos"}}), http.StatusSeeOther)
	want(t, bob.get(cpath), http.StatusOK, "Reopen with a new revision")
	want(t, bob.post(cpath+"/revise", cpath+"/revise", url.Values{"title": {"Tomato catalogue with dates"},
		"body": {"Forty varieties.\nSown in February.\nPhotos attached."}}), http.StatusSeeOther)
	want(t, ada.get(cpath), http.StatusOK, "Open for review", "Revision 3</strong> (current)", "<ins>+ Photos attached.</ins>",
		"Link removed: <del>https://wiki.example/dates</del>")
	want(t, ada.post(cpath, cpath+"/decide", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
	want(t, ada.post(cpath, cpath+"/comment", url.Values{"body": {"Thanks, merged."}}), http.StatusSeeOther)
	want(t, bob.post(cpath, cpath+"/comment", url.Values{"body": {"Thank you!"}}), http.StatusSeeOther)
	after := bob.get(cpath)
	want(t, after, http.StatusOK, "Accepted", "Thanks, merged.", "Thank you!")
	if strings.Contains(after.Body, cpath+"/revise") || strings.Contains(after.Body, `value="accept"`) {
		t.Fatal("revise or decide offered after acceptance")
	}
	want(t, bob.post(cpath+"/revise", cpath+"/revise", url.Values{"title": {"late"}}), http.StatusConflict, "cannot be revised")

	// Withdrawing another offer.
	other := contributionID(t, bob.post("/c/seeds/offer", "/c/seeds/offer", url.Values{"title": {"Pots"}, "kind": {"design"}, "licence": {"PPL"}}))
	opath := "/contributions/" + other
	want(t, ada.post(opath, opath+"/withdraw", url.Values{}), http.StatusForbidden)
	p = bob.post(opath, opath+"/withdraw", url.Values{})
	if p.Status != http.StatusSeeOther || p.Location != opath+"?done=withdrawn" {
		t.Fatalf("withdraw: %d %q", p.Status, p.Location)
	}
	want(t, bob.get(p.Location), http.StatusOK, "Withdrawn", "Contribution withdrawn")
	if strings.Contains(ada.get(opath).Body, `value="accept"`) {
		t.Fatal("a withdrawn offer can be accepted on the page")
	}
}
