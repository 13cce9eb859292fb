package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
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
		Pledge: "We sell seed kits and give back.", Terms: "5 % of revenue; 10 hours a month",
		Structured: service.TermsInput{Amount: "100", Currency: "EUR", Hours: "10", Percent: "5"}})
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
	want(t, anon.get(page), http.StatusOK, "Nothing delivered yet", "active", "€100 a month", "10 hours of work a month",
		"5 % of revenue", "Pledged against delivered", "no — €100 short")
	want(t, anon.get("/@coop"), http.StatusOK, "Partner of", page)
	want(t, bob.post(page, page+"/end", url.Values{}), http.StatusForbidden)
	want(t, ada.post(page, page+"/end", url.Values{}), http.StatusSeeOther)
	want(t, anon.get(page), http.StatusOK, "ended")
	if strings.Contains(anon.get("/c/seeds/partners").Body, "Seed Co-op") {
		t.Error("an ended partner is still listed")
	}
	want(t, anon.get("/c/seeds/partners/nope"), http.StatusNotFound)
}

// TestRemoteCommunityPartnersPage: a remote community's partners, as its Add
// told us, have the same read-only pages at /c/name@host/partners.
func TestRemoteCommunityPartnersPage(t *testing.T) {
	inst, _ := startWithAdmin(t)
	ctx := context.Background()
	st := inst.App.Store
	group := &models.Actor{ID: models.NewID(), Type: models.ActorGroup, Username: "garden", UsernameLower: "garden", Domain: "remote.example",
		URI: "https://remote.example/c/garden", Name: "Far Garden", InboxURI: "https://remote.example/c/garden/inbox"}
	org := &models.Actor{ID: models.NewID(), Type: models.ActorOrganization, Username: "coop", UsernameLower: "coop", Domain: "remote.example",
		URI: "https://remote.example/users/coop", Name: "Far Co-op", InboxURI: "https://remote.example/users/coop/inbox"}
	for _, a := range []*models.Actor{group, org} {
		if err := st.DB.Create(a).Error; err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	p := &models.Partnership{ID: models.NewID(), CommunityID: group.ID, OrganizationID: org.ID, State: models.PartnershipActive,
		RequestedByID: group.ID, DecidedByID: group.ID, CreatedAt: now, DecidedAt: &now}
	if err := st.CreatePartnership(ctx, p); err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, inst)
	want(t, anon.get("/c/garden@remote.example/partners"), http.StatusOK, "Far Co-op", "on remote.example", "/c/garden@remote.example/partners/"+p.ID)
	want(t, anon.get("/c/garden@remote.example/partners/"+p.ID), http.StatusOK, "Far Co-op", "active")
	want(t, anon.get("/c/garden@elsewhere.example/partners"), http.StatusNotFound)
}

// TestDisbursementForm: shares suggested from the contribution ledger's
// weights prefill the form; edited shares open the proposal; shares that do
// not add up are refused with the reason and the form keeps them.
func TestDisbursementForm(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	adaUser, err := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	group, _, err := inst.App.Svc.Communities.Create(ctx, adaUser, service.CommunityInput{Handle: "seeds", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	adaA, _ := inst.App.Svc.Accounts.ActorOf(ctx, adaUser)
	bobA, err := inst.App.Store.ActorByHandle(ctx, "bob", "")
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range []struct {
		who    *models.Actor
		weight int
	}{{adaA, 1}, {bobA, 2}} {
		if err := inst.App.Store.DB.Create(&models.LedgerEntry{ID: models.NewID(), CommunityID: group.ID, ContributionID: "c" + string(rune('a'+i)),
			ContributorID: e.who.ID, Kind: "code", Weight: e.weight, RecordedAt: time.Now()}).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := inst.App.Svc.Economy.RecordReceipt(ctx, adaUser, service.ReceiptInput{Ledger: "seeds", Amount: "100", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	page := "/c/seeds/disbursement?amount=100&currency=EUR"
	// 100 by weights 1:2 → 33.33 and 66.67 (largest remainder)
	want(t, ada.get(page), http.StatusOK, "suggested from the contribution ledger", `value="33.33"`, `value="66.67"`, "@bob@", "(weight 2)")
	want(t, ada.post(page, "/c/seeds/disbursement", url.Values{"title": {"Share the grant"}, "amount": {"100"}, "currency": {"EUR"},
		"share_to": {"ada", "bob"}, "share_amount": {"40", "50"}}), http.StatusUnprocessableEntity, "add up to €90", `value="50"`)
	r := ada.post(page, "/c/seeds/disbursement", url.Values{"title": {"Share the grant"}, "amount": {"100"}, "currency": {"EUR"},
		"share_to": {"ada", "bob", ""}, "share_amount": {"40", "60", ""}})
	want(t, r, http.StatusSeeOther)
	if !strings.Contains(r.Header.Get("Location"), "/c/seeds/proposals/") {
		t.Fatalf("redirect to %q", r.Header.Get("Location"))
	}
	want(t, ada.get("/c/seeds/disbursement?amount=1e3&currency=EUR"), http.StatusOK, "amount")
}

// TestAppealEditPage: the author's admin edits an appeal in the web UI; the
// goal is fixed once pledged (the form says so); nobody else edits; a
// cancelled appeal is not edited.
func TestAppealEditPage(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	adaUser, _ := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, adaUser, service.OrganizationInput{Handle: "fund", Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	a, err := inst.App.Svc.Economy.OpenAppeal(ctx, adaUser, service.AppealInput{As: "fund", Title: "Servers", Goal: "1000", Currency: "EUR",
		EndsAt: time.Now().Add(10 * 24 * time.Hour), Tiers: []service.AppealTierInput{{Name: "Friend", Amount: "10"}}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/appeals/" + a.ID + "/edit"
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.get(page), http.StatusForbidden)
	want(t, ada.get("/appeals/"+a.ID), http.StatusOK, page)
	want(t, ada.get(page), http.StatusOK, `value="Servers"`, `value="1000.00"`, `value="Friend"`, "can change until the first pledge")
	form := url.Values{"title": {"Servers and backups"}, "purpose": {"Two years."}, "goal": {"2000"}, "currency": {"EUR"},
		"ends": {a.EndsAt.UTC().AddDate(0, 0, 5).Format("2006-01-02")}, "tier_name": {"Friend", "Patron"}, "tier_amount": {"10", "100"},
		"tier_monthly": {"0"}, "link_name": {"Liberapay"}, "link_url": {"https://liberapay.com/fund"}}
	want(t, ada.post(page, page, form), http.StatusSeeOther)
	got, _ := inst.App.Svc.Economy.Appeal(ctx, a.ID)
	if got.Title != "Servers and backups" || got.GoalMinor != 200000 || !got.EndsAt.After(a.EndsAt) || len(service.AppealTiers(got)) != 2 ||
		!service.AppealTiers(got)[0].Monthly {
		t.Fatalf("edited %+v", got)
	}
	form.Set("ends", a.EndsAt.UTC().AddDate(0, 0, -1).Format("2006-01-02"))
	want(t, ada.post(page, page, form), http.StatusUnprocessableEntity, "extended, not brought forward")
	form.Del("ends")
	if _, err := inst.App.Svc.Economy.Pledge(ctx, adaUser, a.ID, service.PledgeInput{Amount: "20"}); err != nil {
		t.Fatal(err)
	}
	want(t, ada.get(page), http.StatusOK, "the goal and its currency are fixed")
	form.Set("goal", "3000")
	want(t, ada.post(page, page, form), http.StatusConflict, "fixed once someone has pledged")
	if _, err := inst.App.Svc.Economy.CancelAppeal(ctx, adaUser, a.ID); err != nil {
		t.Fatal(err)
	}
	want(t, ada.get(page), http.StatusOK, "no longer edited")
}

// TestOrganizationLogo: an organization's admin uploads its logo from its
// profile (the avatar path and limits); it becomes the actor's icon; nobody
// else may, and a file that is not an image is refused.
func TestOrganizationLogo(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	adaUser, _ := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	org, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, adaUser, service.OrganizationInput{Handle: "fund", Kind: models.OrgFoundation})
	if err != nil {
		t.Fatal(err)
	}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, ada.get("/@fund"), http.StatusOK, `action="/organizations/fund/logo"`)
	if strings.Contains(bob.get("/@fund").Body, "/organizations/fund/logo") {
		t.Error("the logo form is shown to a stranger")
	}
	want(t, bob.upload("/organizations/fund/logo", "logo", "l.png", "image/png", pngBytes), http.StatusForbidden)
	want(t, ada.upload("/organizations/fund/logo", "logo", "l.txt", "image/png", []byte("not an image at all")), http.StatusUnsupportedMediaType)
	want(t, ada.upload("/organizations/fund/logo", "logo", "l.png", "image/png", pngBytes), http.StatusSeeOther)
	got, err := inst.App.Store.ActorByID(ctx, org.ID)
	if err != nil || got.IconURL == "" {
		t.Fatalf("logo not set: %+v %v", got, err)
	}
	want(t, ada.get("/@fund"), http.StatusOK, got.IconURL)
}

// TestPartnerRequestForm: an organization's admin asks a community from the
// organization's profile, with measurable terms; a stranger cannot.
func TestPartnerRequestForm(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	adaUser, _ := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, adaUser, service.OrganizationInput{Handle: "coop", Name: "Seed Co-op",
		Kind: models.OrgCoalition}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.App.Svc.Communities.Create(ctx, adaUser, service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	ask := url.Values{"community": {"seeds"}, "pledge": {"We give back."}, "terms": {"€50 a month"}, "amount": {"50"}, "currency": {"EUR"}}
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	want(t, bob.post("/@coop", "/organizations/coop/partnerships", url.Values{"community": {"seeds"}, "pledge": {"x"}, "terms": {"y"}}),
		http.StatusForbidden)
	bad := url.Values{"community": {"seeds"}, "pledge": {"x"}, "terms": {"y"}, "hours": {"1.5"}}
	// refused: the profile again, with what was typed and the reason at its field
	want(t, ada.post("/@coop", "/organizations/coop/partnerships", bad), http.StatusUnprocessableEntity, "hours",
		`id="f-hours" name="hours" type="text" value="1.5"`, `aria-invalid="true"`, `>x</textarea>`, `value="seeds"`)
	r := ada.post("/@coop", "/organizations/coop/partnerships", ask)
	want(t, r, http.StatusSeeOther)
	want(t, ada.get(r.Header.Get("Location")), http.StatusOK, "Seed Co-op", "requested", "€50 a month")
}
