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
	pl, err := a.App.Svc.Economy.Pledge(ctx, tess, appeal.ID, service.PledgeInput{Amount: "30"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.App.Svc.Economy.RecordReceipt(ctx, tess, service.ReceiptInput{Ledger: "fund", PledgeID: pl.ID,
		Amount: "30", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's copy shows the progress", func() bool {
		tl, err := b.App.Svc.Social.Timeline(ctx, bob, "", 10)
		return err == nil && len(tl) == 1 && strings.Contains(tl[0].Note.Content, "€30 of €100 raised (30 %)")
	})
}
