package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEconomyPages: an organization founded with the form, an appeal opened
// with the form, the directory with its filters and progress bar, a pledge
// with the form (and a refused one shown on the page), a receipt by the
// foundation, the ledger page and the feeds — the same totals everywhere, and
// no inline style anywhere (CSP).
func TestEconomyPages(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/organizations/new", "/organizations", url.Values{"handle": {"fund"}, "name": {"Seed Fund"},
		"kind": {"foundation"}, "pay_name": {"Liberapay"}, "pay_url": {"ftp://nope"}}), http.StatusUnprocessableEntity, "is not an http(s) URL")
	want(t, ada.post("/organizations/new", "/organizations", url.Values{"handle": {"fund"}, "name": {"Seed Fund"},
		"kind": {"foundation"}, "pay_name": {"Liberapay"}, "pay_url": {"https://liberapay.com/fund"}}), http.StatusSeeOther)
	want(t, ada.post("/appeals/new", "/appeals", url.Values{"as": {"fund"}, "title": {"Servers"}, "goal": {"1e4"},
		"currency": {"EUR"}, "days": {"12"}}), http.StatusUnprocessableEntity, "goal: amount")
	r := ada.post("/appeals/new", "/appeals", url.Values{"as": {"fund"}, "title": {"Servers for the seed library"},
		"purpose": {"Two years of **hosting**."}, "goal": {"10000"}, "currency": {"EUR"}, "days": {"12"}})
	want(t, r, http.StatusSeeOther)
	page := r.Location
	if !strings.HasPrefix(page, "/appeals/") {
		t.Fatalf("redirected to %q", page)
	}

	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.get(page), http.StatusOK, "Servers for the seed library", "<strong>hosting</strong>", "€0</strong> of €10,000 raised (0 %)", `name="amount"`)
	want(t, bob.post(page, page+"/pledge", url.Values{"amount": {"12.345"}}), http.StatusUnprocessableEntity, "more than 2 decimals")
	want(t, bob.post(page, page+"/pledge", url.Values{"amount": {"2350"}, "message": {"for the seeds"}}), http.StatusSeeOther)
	want(t, bob.post(page, page+"/receipt", url.Values{"amount": {"2350"}}), http.StatusForbidden)
	want(t, ada.post(page, page+"/receipt", url.Values{"amount": {"2350"}, "note": {"bank"}}), http.StatusSeeOther)

	p := bob.get(page)
	want(t, p, http.StatusOK, `<progress max="100" value="23"`, "€2,350</strong> of €10,000 raised (23 %)", "€2,350 pledged by 1 pledge", "for the seeds")
	anon := newBrowser(t, inst)
	for _, path := range []string{"/appeals", "/appeals?status=open&currency=EUR", page, page + "/ledger", "/users/fund/funds"} {
		p := anon.get(path)
		want(t, p, http.StatusOK, "€2,350")
		if strings.Contains(p.Body, "style=") {
			t.Errorf("%s has an inline style", path)
		}
	}
	if strings.Contains(anon.get("/appeals?currency=USD").Body, "Servers for the seed library") {
		t.Error("the currency filter lets a EUR appeal through")
	}
	want(t, anon.get("/appeals?status=asleep"), http.StatusUnprocessableEntity, "status must be")
	want(t, anon.get("/appeals/feed.rss"), http.StatusOK, "Servers for the seed library", "€2,350 of €10,000 raised (23 %)")
	want(t, anon.get("/appeals/feed.atom"), http.StatusOK, "<feed", "Servers for the seed library")
	want(t, anon.get("/users/fund/funds"), http.StatusOK, "pledge", "receipt", "Balance")
	want(t, anon.get("/@fund"), http.StatusOK, "liberapay.com/fund")
}
