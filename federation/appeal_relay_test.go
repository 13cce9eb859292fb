package federation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestTwoInstancesAppealRelayedByRecognisingCommunity: issue 12's "done when"
// from the follower's side. A foundation on A opens an appeal for two
// communities of A: seeds recognises the foundation as a partner, wild does
// not. bob on B follows only the two communities — never the foundation.
// seeds Announces the appeal (bob sees it boosted by seeds, with its
// progress) and relays the foundation's progress Update (bob's copy shows the
// new total); wild, which does not recognise the foundation, announces nothing.
// pledgeReceived has by pledge amount EUR to the appeal on inst and records the
// money as received in the ledger "fund": the appeal's progress moves.
func pledgeReceived(t *testing.T, inst *apptest.Instance, by *models.User, appealID, amount string) {
	t.Helper()
	ctx := context.Background()
	pl, err := inst.App.Svc.Economy.Pledge(ctx, by, appealID, service.PledgeInput{Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Economy.RecordReceipt(ctx, by, service.ReceiptInput{Ledger: "fund", PledgeID: pl.ID,
		Amount: amount, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
}

func TestTwoInstancesAppealRelayedByRecognisingCommunity(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, b, "bob")
	tess, err := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	if err != nil {
		t.Fatal(err)
	}
	bob := actorOf(t, b, "bob")
	for _, h := range []string{"seeds", "wild"} {
		if _, _, err := a.App.Svc.Communities.Create(ctx, tess, service.CommunityInput{Handle: h, Licence: "MIT"}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.App.Svc.Economy.RequestPartnership(ctx, tess, service.PartnershipInput{As: "fund", Community: "seeds",
		Pledge: "We fund the hosting.", Terms: "€100 a month"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.App.Svc.Economy.DecidePartnership(ctx, tess, p.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"seeds", "wild"} {
		f, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle(h))
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "B follows "+h, func() bool {
			got, err := b.App.Store.FollowByID(ctx, f.ID)
			return err == nil && got.State == models.FollowAccepted
		})
	}

	appeal, err := a.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers for the seed library",
		Purpose: "Two years of hosting.", Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour),
		Beneficiaries: []string{"seeds", "wild"}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the appeal in bob's timeline, boosted by seeds", func() bool {
		tl, err := b.App.Svc.Social.Timeline(ctx, bob, "", 10)
		return err == nil && len(tl) == 1 && tl[0].Note.URI == appeal.URI && tl[0].BoostedBy != nil &&
			tl[0].BoostedBy.URI == a.ActorURL("seeds") && strings.Contains(tl[0].Note.Content, "€0 of €100 raised (0 %)")
	})
	for h, want := range map[string]int{"seeds": 1, "wild": 0} {
		out, err := a.App.Store.ListOutbox(ctx, a.ActorURL(h), 20, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, act := range out {
			if act.Type == "Announce" && strings.Contains(act.Raw, appeal.URI) {
				n++
			}
		}
		if n != want {
			t.Errorf("%s announced the appeal %d times, want %d", h, n, want)
		}
	}

	// A pledge received on A: the progress Update (at 25 %+) reaches bob
	// through seeds, which follows only the community.
	pledgeReceived(t, a, tess, appeal.ID, "30")
	eventually(t, "bob's copy shows the progress", func() bool {
		tl, err := b.App.Svc.Social.Timeline(ctx, bob, "", 10)
		return err == nil && len(tl) == 1 && strings.Contains(tl[0].Note.Content, "€30 of €100 raised (30 %)")
	})
}

// TestThreeInstancesAppealDoneWhen is issue 12's "done when" across servers:
// a foundation on A opens an appeal for a community on B that recognised it
// (partnership asked over federation, decided by B's steward); carl on C
// follows only the community. B announces the appeal (carl sees it boosted
// by seeds, with its progress) and relays the foundation's progress Update
// after a pledge from C is received (carl's copy, re-fetched from A, shows
// the new total).
func TestThreeInstancesAppealDoneWhen(t *testing.T) {
	a, b, c := apptest.Start(t), apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, b, "bob")
	newUser(t, c, "carl")
	tess, _ := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	bob, _ := b.App.Svc.Accounts.ByUsername(ctx, "bob")
	carl := actorOf(t, c, "carl")
	if _, _, err := b.App.Svc.Communities.Create(ctx, bob, service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	req, err := a.App.Svc.Economy.RequestPartnership(ctx, tess, service.PartnershipInput{As: "fund", Community: b.Handle("seeds"),
		Pledge: "We fund the hosting.", Terms: "€100 a month"})
	if err != nil {
		t.Fatal(err)
	}
	var onB *models.Partnership
	eventually(t, "the request reaches B", func() bool {
		onB, err = b.App.Store.PartnershipByOfferURI(ctx, *req.OfferURI)
		return err == nil
	})
	if _, err := b.App.Svc.Economy.DecidePartnership(ctx, bob, onB.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A records the recognition", func() bool {
		got, err := a.App.Store.PartnershipByID(ctx, req.ID)
		return err == nil && got.State == models.PartnershipActive
	})
	f, _, err := c.App.Svc.Social.FollowByHandle(ctx, carl, b.Handle("seeds"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "carl follows seeds", func() bool {
		got, err := c.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})

	appeal, err := a.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers for the seed library",
		Purpose: "Two years of hosting.", Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour),
		Beneficiaries: []string{b.Handle("seeds")}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the appeal on carl's timeline, boosted by seeds on B", func() bool {
		tl, err := c.App.Svc.Social.Timeline(ctx, carl, "", 10)
		return err == nil && len(tl) == 1 && tl[0].Note.URI == appeal.URI && tl[0].BoostedBy != nil &&
			tl[0].BoostedBy.URI == b.ActorURL("seeds") && strings.Contains(tl[0].Note.Content, "€0 of €100 raised (0 %)")
	})
	// B's copy is kept for its directory and is not a post in seeds
	onBAppeal, err := b.App.Store.AppealByURI(ctx, appeal.URI)
	if err != nil || onBAppeal.Local {
		t.Fatalf("B's appeal %+v, %v", onBAppeal, err)
	}

	// A pledge received and recorded on A: the progress Update reaches B (a
	// beneficiary), which relays it to carl, who does not follow the foundation.
	pledgeReceived(t, a, tess, appeal.ID, "30")
	eventually(t, "carl's copy shows the progress, relayed by B", func() bool {
		tl, err := c.App.Svc.Social.Timeline(ctx, carl, "", 10)
		return err == nil && len(tl) == 1 && strings.Contains(tl[0].Note.Content, "€30 of €100 raised (30 %)")
	})
	eventually(t, "B's copy has the new total", func() bool {
		got, err := b.App.Store.AppealByURI(ctx, appeal.URI)
		return err == nil && got.RemoteRaised == 3000
	})
}
