package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestContributionConfirmCredit: an offer naming bob as co-contributor shows
// him as awaiting confirmation with a button only he sees; a forged post by
// someone else is refused (403) and changes nothing; his click credits him.
func TestContributionConfirmCredit(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	form := communityForm("seeds", "PPL")
	form.Set("offer_policy", "open")
	want(t, ada.post("/communities/new", "/communities", form), http.StatusSeeOther)
	bob, eve := newBrowser(t, inst), newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, eve.signup("eve", nil), http.StatusSeeOther)
	co, err := inst.App.Svc.Communities.Offer(ctx, actor(t, inst, "ada"), actor(t, inst, "seeds"),
		service.ContributionInput{Title: "Seed list", Kind: "knowledge", Licence: "PPL", CoContributors: []string{"bob"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := "/contributions/" + co.ID
	button := `action="` + path + `/confirm-credit"`
	want(t, bob.get(path), http.StatusOK, `id="pending-contributors"`, button, service.CreditCode(co))
	if strings.Contains(eve.get(path).Body, button) {
		t.Fatal("eve is offered the confirm button")
	}
	want(t, eve.post(path, path+"/confirm-credit", url.Values{}), http.StatusForbidden)
	want(t, bob.post(path, path+"/confirm-credit", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	if got, _ := inst.App.Store.ContributionByID(ctx, co.ID); got.PendingContributors == "" {
		t.Fatal("a refused confirmation changed the contribution")
	}
	p := bob.post(path, path+"/confirm-credit", url.Values{})
	if p.Status != http.StatusSeeOther || p.Location != path+"?done=credit" {
		t.Fatalf("confirm: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	page := bob.get(p.Location)
	want(t, page, http.StatusOK, "you are now credited")
	if strings.Contains(page.Body, `id="pending-contributors"`) {
		t.Fatal("still shown as pending")
	}
	if got, _ := inst.App.Store.ContributionByID(ctx, co.ID); got.PendingContributors != "" || !slices.Contains(got.Contributors, actor(t, inst, "bob").URI) {
		t.Fatalf("after confirming: %q %q", got.Contributors, got.PendingContributors)
	}
}
