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

// TestTwoInstancesAppealPledgeProgress: a foundation on A opens an appeal for
// a community on B; a member of B who follows the foundation gets it (the
// appeals directory of B lists it); the member pledges from B (Offer{Agreement}),
// A accepts, A's treasurer records the receipt, and the progress Update
// (at 25 %) reaches B with the new totals. A's page, JSON, collection and
// B's copy agree.
func TestTwoInstancesAppealPledgeProgress(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, b, "bob")
	tess, err := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	if err != nil {
		t.Fatal(err)
	}
	bobUser, _ := b.App.Svc.Accounts.ByUsername(ctx, "bob")
	bob := actorOf(t, b, "bob")
	if _, _, err := b.App.Svc.Communities.Create(ctx, bobUser, service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	fund, _, err := a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation, PaymentLinks: []models.Field{{Name: "Liberapay", Value: "https://liberapay.com/fund"}}})
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle("fund"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "B follows the foundation", func() bool {
		got, err := b.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	remoteFund, err := b.App.Store.ActorByURI(ctx, fund.URI)
	if err != nil || remoteFund.Type != models.ActorOrganization {
		t.Fatalf("the foundation as B sees it: %+v, %v", remoteFund, err)
	}
	appeal, err := a.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers for the seed library",
		Purpose: "Two years of hosting.", Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour),
		Beneficiaries: []string{b.Handle("seeds")}})
	if err != nil {
		t.Fatal(err)
	}
	var remote *models.FundingAppeal
	eventually(t, "the appeal reaches B", func() bool {
		remote, err = b.App.Store.AppealByURI(ctx, appeal.URI)
		return err == nil
	})
	if remote.Local || remote.GoalMinor != 10000 || remote.Currency != "EUR" || remote.Title != "Servers for the seed library" ||
		len(remote.Beneficiaries) != 1 || remote.Beneficiaries[0] != b.ActorURL("seeds") {
		t.Fatalf("B's copy %+v", remote)
	}
	list, err := b.App.Svc.Economy.Appeals(ctx, service.AppealFilter{Beneficiary: "seeds"}, 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("B's directory for seeds: %v, %v", list, err)
	}
	eventually(t, "the appeal Note in bob's timeline", func() bool {
		tl, err := b.App.Svc.Social.Timeline(ctx, bob, "", 10)
		return err == nil && len(tl) == 1 && strings.Contains(tl[0].Note.Content, "€0 of €100 raised (0 %) — 12 days left")
	})

	// bob pledges from B
	p, err := b.App.Svc.Economy.Pledge(ctx, bobUser, remote.ID, service.PledgeInput{Amount: "30", Message: "from B"})
	if err != nil || p.State != models.PledgePending {
		t.Fatalf("pledge: %+v, %v", p, err)
	}
	eventually(t, "A accepts the pledge", func() bool {
		got, err := b.App.Store.PledgeByURI(ctx, p.URI)
		return err == nil && got.State == models.PledgeAccepted
	})
	onA, err := a.App.Store.PledgeByURI(ctx, p.URI)
	if err != nil || onA.AmountMinor != 3000 || onA.Message != "from B" {
		t.Fatalf("A's pledge %+v, %v", onA, err)
	}
	// a pledge is a promise: B's copy still shows nothing raised
	if _, err := a.App.Svc.Economy.RecordReceipt(ctx, tess, service.ReceiptInput{Ledger: "fund", PledgeID: onA.ID,
		Amount: "30", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the progress Update reaches B", func() bool {
		got, err := b.App.Store.AppealByURI(ctx, appeal.URI)
		return err == nil && got.RemoteRaised == 3000 && got.RemotePledged == 3000 && got.RemotePledgeCount == 1
	})
	v, err := a.App.Svc.Economy.View(ctx, appeal)
	if err != nil || v.Raised.Minor != 3000 || v.Percent != 30 {
		t.Fatalf("A's view %+v, %v", v, err)
	}
	tot, err := a.App.Svc.Economy.Totals(ctx, service.LedgerScope{LedgerID: fund.ID})
	if err != nil || len(tot) != 1 || tot[0].Raised != 3000 || tot[0].Pledged != 3000 {
		t.Fatalf("A's ledger totals %+v, %v", tot, err)
	}
}
