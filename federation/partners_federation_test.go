package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestTwoInstancesPartnership: a coalition partner on A asks a community on B
// (Offer{Agreement} with measurable terms); B's steward recognises it (Accept,
// Follow, Add), A records it active; A's admin ends it (Remove) and B records
// the end. The other way, B's foundation asks A's community, whose steward
// declines: B's request ends (Reject).
func TestTwoInstancesPartnership(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, b, "bob")
	tess, _ := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	bob, _ := b.App.Svc.Accounts.ByUsername(ctx, "bob")
	seeds, _, err := b.App.Svc.Communities.Create(ctx, bob, service.CommunityInput{Handle: "seeds", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	garden, _, err := a.App.Svc.Communities.Create(ctx, tess, service.CommunityInput{Handle: "garden", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	coop, _, err := a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "coop", Kind: models.OrgCoalition})
	if err != nil {
		t.Fatal(err)
	}
	fund, _, err := b.App.Svc.Economy.CreateOrganization(ctx, bob, service.OrganizationInput{Handle: "fund", Kind: models.OrgFoundation})
	if err != nil {
		t.Fatal(err)
	}

	// A's coop asks B's seeds
	req, err := a.App.Svc.Economy.RequestPartnership(ctx, tess, service.PartnershipInput{As: "coop", Community: b.Handle("seeds"),
		Pledge: "We give back.", Terms: "50 € and 10 hours a month",
		Structured: service.TermsInput{Amount: "50", Currency: "EUR", Hours: "10"}})
	if err != nil {
		t.Fatal(err)
	}
	if req.State != models.PartnershipRequested || req.OfferURI == nil || req.Community.Local() {
		t.Fatalf("A's request %+v", req.Partnership)
	}
	var onB *models.Partnership
	eventually(t, "the request reaches B", func() bool {
		onB, err = b.App.Store.PartnershipByOfferURI(ctx, *req.OfferURI)
		return err == nil
	})
	if onB.CommunityID != seeds.ID || onB.State != models.PartnershipRequested || onB.Pledge != "We give back." ||
		onB.TermsMinor != 5000 || onB.TermsCurrency != "EUR" || onB.TermsHours != 10 {
		t.Fatalf("B's copy %+v", onB)
	}
	if _, err := b.App.Svc.Economy.DecidePartnership(ctx, bob, onB.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A records the recognition", func() bool {
		got, err := a.App.Store.PartnershipByID(ctx, req.ID)
		return err == nil && got.State == models.PartnershipActive
	})
	eventually(t, "B's community follows the coop", func() bool {
		remoteSeeds, err := a.App.Store.ActorByURI(ctx, seeds.URI)
		if err != nil {
			return false
		}
		f, err := a.App.Store.FollowByPair(ctx, remoteSeeds.ID, coop.ID)
		return err == nil && f.State == models.FollowAccepted
	})
	// shown on A: the coop's partnerships, with the remote community
	list, err := a.App.Svc.Economy.OrganizationPartnerships(ctx, coop, 10, 0)
	if err != nil || len(list) != 1 || list[0].Community.URI != seeds.URI || list[0].State != models.PartnershipActive {
		t.Fatalf("A's partnerships of coop: %+v %v", list, err)
	}
	// A's admin ends it: B records the end
	if _, err := a.App.Svc.Economy.EndPartnership(ctx, tess, req.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B records the end", func() bool {
		got, err := b.App.Store.PartnershipByID(ctx, onB.ID)
		return err == nil && got.State == models.PartnershipEnded
	})

	// B's fund asks A's garden; A's steward declines
	req2, err := b.App.Svc.Economy.RequestPartnership(ctx, bob, service.PartnershipInput{As: "fund", Community: a.Handle("garden"),
		Pledge: "We fund you.", Terms: "2 % of revenue", Structured: service.TermsInput{Percent: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	var onA *models.Partnership
	eventually(t, "the second request reaches A", func() bool {
		onA, err = a.App.Store.PartnershipByOfferURI(ctx, *req2.OfferURI)
		return err == nil
	})
	if onA.CommunityID != garden.ID || onA.TermsPercentBP != 200 {
		t.Fatalf("A's copy %+v", onA)
	}
	if _, err := a.App.Svc.Economy.DecidePartnership(ctx, tess, onA.ID, false); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B records the refusal", func() bool {
		got, err := b.App.Store.PartnershipByID(ctx, req2.ID)
		return err == nil && got.State == models.PartnershipEnded
	})
	_ = fund
}
