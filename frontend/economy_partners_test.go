package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestPartnerPages: an organization's request shown to the community's
// steward with its pledge, recognised with the form, listed on the public
// partners page, the partner's page with pledged against delivered; a
// stranger cannot end it, the steward can.
func TestPartnerPages(t *testing.T) {
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
	p, err := inst.App.Svc.Economy.RequestPartnership(ctx, adaUser, service.PartnershipInput{As: "coop", Community: "seeds",
		Pledge: "We sell seed kits and give back.", Terms: "5 % of revenue; 10 hours a month"})
	if err != nil {
		t.Fatal(err)
	}
	page := "/c/seeds/partners/" + p.ID
	want(t, ada.get("/c/seeds/partners"), http.StatusOK, "Seed Co-op", "5 % of revenue; 10 hours a month", `value="accept"`)
	anon := newBrowser(t, inst)
	if strings.Contains(anon.get("/c/seeds/partners").Body, "Seed Co-op") {
		t.Error("an open request is listed publicly as a partner")
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.post(page, page+"/decide", url.Values{"decision": {"accept"}}), http.StatusForbidden)
	want(t, ada.post(page, page+"/decide", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
	for _, path := range []string{"/c/seeds/partners", page} {
		r := anon.get(path)
		want(t, r, http.StatusOK, "Seed Co-op", "5 % of revenue; 10 hours a month")
		if strings.Contains(r.Body, "style=") {
			t.Errorf("%s has an inline style", path)
		}
	}
	want(t, anon.get(page), http.StatusOK, "Nothing delivered yet", "active")
	want(t, bob.post(page, page+"/end", url.Values{}), http.StatusForbidden)
	want(t, ada.post(page, page+"/end", url.Values{}), http.StatusSeeOther)
	want(t, anon.get(page), http.StatusOK, "ended")
	if strings.Contains(anon.get("/c/seeds/partners").Body, "Seed Co-op") {
		t.Error("an ended partner is still listed")
	}
	want(t, anon.get("/c/seeds/partners/nope"), http.StatusNotFound)
}
