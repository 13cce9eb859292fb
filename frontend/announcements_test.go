package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestAnnouncementPages: an organization's admin publishes a bounty with the
// form (a bad payout is shown next to its field); the community holds it
// (the tab bar says so to its steward); a stranger cannot approve it, the
// steward does; it is listed on the community's and the organization's
// pages and in the organization's feeds; a contribution claims it from the
// bounty page's link, is accepted, the payout shows on the bounty page and
// in both ledgers, and the organization confirms the payment.
func TestAnnouncementPages(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	want(t, ada.post("/organizations/new", "/organizations", url.Values{"handle": {"coop"}, "name": {"Seed Co-op"},
		"kind": {"coalition"}}), http.StatusSeeOther)
	adaUser, err := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.App.Svc.Communities.Create(ctx, adaUser, service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"as": {"coop"}, "kind": {"bounty"}, "title": {"Catalogue the seeds"}, "body": {"Every **seed** we keep."},
		"for_whom": {"seed keepers"}, "price": {"1e2"}, "currency": {"EUR"}, "communities": {"seeds"}}
	r := ada.post("/announcements/new?as=coop", "/announcements", form)
	want(t, r, http.StatusUnprocessableEntity, `id="f-price-error"`)
	form.Set("price", "100")
	r = ada.post("/announcements/new?as=coop", "/announcements", form)
	want(t, r, http.StatusSeeOther)
	page := r.Location[:strings.Index(r.Location, "?")]
	id := strings.TrimPrefix(page, "/announcements/")
	anon := newBrowser(t, inst)
	want(t, anon.get(page), http.StatusOK, "Bounty: Catalogue the seeds", "seed keepers", "€100", "No contribution claims it yet")
	want(t, ada.get("/c/seeds"), http.StatusOK, "Announcements (1 held)")
	want(t, ada.get("/c/seeds/announcements"), http.StatusOK, "Waiting for you (1)", "not a partner", `value="approve"`)
	if strings.Contains(anon.get("/c/seeds/announcements").Body, "Catalogue the seeds") {
		t.Error("a held announcement is listed publicly")
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	decide := "/c/seeds/announcements/" + id + "/decide"
	want(t, bob.post("/c/seeds/announcements", decide, url.Values{"decision": {"approve"}}), http.StatusForbidden)
	want(t, ada.post("/c/seeds/announcements", decide, url.Values{"decision": {"approve"}}), http.StatusSeeOther)
	want(t, anon.get("/c/seeds/announcements"), http.StatusOK, "Catalogue the seeds")
	want(t, anon.get("/@coop"), http.StatusOK, "Bounty: Catalogue the seeds", "€100", "/@coop/announcements.rss")
	want(t, anon.get("/@coop/announcements.rss"), http.StatusOK, "Bounty: Catalogue the seeds")
	want(t, anon.get("/@coop/announcements.atom"), http.StatusOK, "Bounty: Catalogue the seeds")

	// Claimed from the bounty page's link, accepted, paid.
	want(t, ada.get(page), http.StatusOK, `href="/c/seeds/offer?bounty=`+id+`"`)
	offer := "/c/seeds/offer?bounty=" + id
	want(t, ada.get(offer), http.StatusOK, `value="`+id+`"`)
	r = ada.post(offer, "/c/seeds/offer", url.Values{"title": {"Catalogue 2026"}, "body": {"All of them."}, "kind": {"knowledge"},
		"licence": {"MIT"}, "bounty": {id}})
	want(t, r, http.StatusSeeOther)
	co := strings.TrimPrefix(r.Location[:strings.Index(r.Location, "?")], "/contributions/")
	adaActor, err := inst.App.Svc.Accounts.ActorOf(ctx, adaUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Communities.Decide(ctx, adaActor, co, true, ""); err != nil {
		t.Fatal(err)
	}
	want(t, anon.get("/contributions/"+co), http.StatusOK, `the bounty <a href="/announcements/`+id+`">Catalogue the seeds</a> (€100)`)
	want(t, anon.get(page), http.StatusOK, "Claimed; payout pending", "Catalogue 2026", "payout")
	for _, ledger := range []string{"/users/coop/funds", "/users/seeds/funds"} {
		want(t, anon.get(ledger), http.StatusOK, "Payouts pending", "€100", `href="/announcements/`+id+`"`)
	}
	want(t, ada.get(page), http.StatusOK, "We paid the payout")
	want(t, bob.post(page, page+"/confirm_payment", url.Values{}), http.StatusForbidden)
	want(t, ada.post(page, page+"/confirm_payment", url.Values{}), http.StatusSeeOther)
	want(t, anon.get(page), http.StatusOK, "Paid", "payment")
	want(t, anon.get("/users/coop/funds"), http.StatusOK, "pays")
}
