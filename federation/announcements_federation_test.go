package federation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// TestTwoInstancesAnnouncements (issue 12): organizations on A address
// announcements to the community seeds on B, which recognises one of them
// (coop) as a partner. The partner's job is announced by seeds at once: ann
// on A, who follows seeds and coop, sees it once on her timeline, boosted
// by seeds. The non-partner's (shop) is held on B until bob, seeds'
// steward, approves it; then ann sees it too. coop's bounty is claimed by
// carol's contribution on B; bob accepts it, the bounty closes on B and its
// payout is recorded to carol in seeds' ledger, pending.
func TestTwoInstancesAnnouncements(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, a, "ann")
	newUser(t, b, "bob")
	newUser(t, b, "carol")
	tess, _ := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	bobUser, _ := b.App.Svc.Accounts.ByUsername(ctx, "bob")
	ann, bob, carol := actorOf(t, a, "ann"), actorOf(t, b, "bob"), actorOf(t, b, "carol")
	seeds, _, err := b.App.Svc.Communities.Create(ctx, bobUser, service.CommunityInput{Handle: "seeds", Licence: "MIT",
		MembershipPolicy: models.PolicyOpen, OfferPolicy: models.PolicyOpen})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Svc.Communities.Join(ctx, carol, seeds, ""); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"coop", "shop"} {
		if _, _, err := a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: h, Kind: models.OrgCoalition}); err != nil {
			t.Fatal(err)
		}
	}
	// B recognises coop (as a passed recognise_partner proposal does).
	coopOnB, err := b.App.Svc.Social.ResolveActor(ctx, a.Handle("coop"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.App.Store.Tx(ctx, func(tx *store.Store) error {
		return b.App.Svc.Economy.RecogniseDecided(ctx, tx, seeds, coopOnB, bob.ID, "")
	}); err != nil {
		t.Fatal(err)
	}
	// ann follows seeds (on B) and coop (here).
	for _, h := range []string{b.Handle("seeds"), "coop"} {
		f, _, err := a.App.Svc.Social.FollowByHandle(ctx, ann, h)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "ann follows "+h, func() bool {
			got, err := a.App.Store.FollowByID(ctx, f.ID)
			return err == nil && got.State == models.FollowAccepted
		})
	}
	seen := func(uri string) int {
		tl, err := a.App.Svc.Social.Timeline(ctx, ann, "", 40)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range tl {
			if e.Note.URI == uri {
				n++
			}
		}
		return n
	}
	boosts := func(uri string) int64 {
		var n int64
		a.App.Store.DB.Model(&models.Announce{}).Where("object_uri = ? AND actor_id IN (?)", uri,
			a.App.Store.DB.Model(&models.Actor{}).Select("id").Where("uri = ?", seeds.URI)).Count(&n)
		return n
	}
	publish := func(as, kind, title, price string) *service.AnnouncementView {
		t.Helper()
		in := service.AnnouncementInput{As: as, Kind: kind, Title: title, Body: "For the seed library.", ForWhom: "gardeners",
			At: time.Now().Add(48 * time.Hour), Link: "https://coop.example/x", Communities: []string{b.Handle("seeds")}}
		if price != "" {
			in.Price, in.Currency = price, "EUR"
		}
		v, err := a.App.Svc.Economy.PublishAnnouncement(ctx, tess, in)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	// The partner's job: announced by seeds, seen once by ann.
	job := publish("coop", models.AnnouncementJob, "Seed librarian", "25.50")
	eventually(t, "seeds on B announces coop's job and A hears of it", func() bool { return boosts(job.URI) == 1 })
	if n := seen(job.URI); n != 1 {
		t.Errorf("ann sees the job %d times, want once", n)
	}
	onB, err := b.App.Store.AnnouncementByURI(ctx, job.URI)
	if err != nil || onB.Local || onB.PriceMinor != 2550 || onB.Kind != models.AnnouncementJob {
		t.Fatalf("B's copy %+v, %v", onB, err)
	}
	if r, err := b.App.Store.Relay(ctx, seeds.ID, onB.ID); err != nil || r.State != models.RelayAnnounced {
		t.Errorf("B's relay %+v, %v", r, err)
	}

	// The non-partner's event: held on B, released by bob.
	ev := publish("shop", models.AnnouncementEvent, "Seed swap", "")
	var held *models.Announcement
	eventually(t, "shop's event held on B", func() bool {
		held, err = b.App.Store.AnnouncementByURI(ctx, ev.URI)
		if err != nil {
			return false
		}
		r, err := b.App.Store.Relay(ctx, seeds.ID, held.ID)
		return err == nil && r.State == models.RelayHeld
	})
	if n, err := b.App.Svc.Economy.CommunityAnnouncements(ctx, bob, seeds, models.RelayHeld, 10, 0); err != nil || len(n) != 1 {
		t.Fatalf("held on B: %v, %v", n, err)
	}
	// Held: B published no Announce of it (the relay row says held, and
	// the count after the release below is one, not two).
	if n := boosts(ev.URI); n != 0 {
		t.Fatalf("a held announcement was announced (%d)", n)
	}
	if err := b.App.Svc.Economy.DecideAnnouncement(ctx, bob, seeds, held.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the released event reaches ann", func() bool { return seen(ev.URI) == 1 && boosts(ev.URI) == 1 })

	// coop's bounty, claimed by carol's contribution on B and accepted by bob.
	bounty := publish("coop", models.AnnouncementBounty, "Catalogue the seeds", "100")
	var bountyOnB *models.Announcement
	eventually(t, "the bounty reaches B", func() bool {
		bountyOnB, err = b.App.Store.AnnouncementByURI(ctx, bounty.URI)
		return err == nil
	})
	co, err := b.App.Svc.Communities.Offer(ctx, carol, seeds, service.ContributionInput{Title: "Catalogue 2026",
		Body: "Every seed.", Kind: "knowledge", Bounty: bounty.URI}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Svc.Communities.Decide(ctx, bob, co.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	bv, err := b.App.Svc.Economy.Bounty(ctx, bountyOnB.ID)
	if err != nil || bv.State != models.AnnouncementClosed || len(bv.Entries) != 1 {
		t.Fatalf("B's bounty %+v, %v", bv, err)
	}
	e := bv.Entries[0]
	if e.Kind != models.EntryPayout || e.LedgerID != seeds.ID || e.ReceiverID != carol.ID || e.ProviderID != coopOnB.ID ||
		e.AmountMinor != 10000 || e.Currency != "EUR" || !strings.Contains(e.Note, "Catalogue the seeds") {
		t.Errorf("payout entry %+v", e)
	}
	tot, err := b.App.Svc.Economy.Totals(ctx, service.LedgerScope{LedgerID: seeds.ID})
	if err != nil || len(tot) != 1 || tot[0].Payouts != 10000 || tot[0].PendingPayouts() != 10000 {
		t.Errorf("seeds' totals %+v, %v", tot, err)
	}

	// A second bounty, claimed from A: ann's Offer to seeds carries
	// claimsBounty, B checks it against its copy and pays out to ann.
	second := publish("coop", models.AnnouncementBounty, "Translate the catalogue", "40")
	eventually(t, "the second bounty reaches B", func() bool {
		_, err := b.App.Store.AnnouncementByURI(ctx, second.URI)
		return err == nil
	})
	seedsOnA, err := a.App.Svc.Social.ResolveActor(ctx, b.Handle("seeds"))
	if err != nil {
		t.Fatal(err)
	}
	offered, err := a.App.Svc.Communities.Offer(ctx, ann, seedsOnA, service.ContributionInput{Title: "Catalogue in Catalan",
		Body: "Tot.", Kind: "knowledge", Licence: "MIT", Bounty: second.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var onBco *models.Contribution
	eventually(t, "ann's offer reaches B with its claim", func() bool {
		onBco, err = b.App.Store.ContributionByURI(ctx, offered.URI)
		return err == nil
	})
	secondOnB, _ := b.App.Store.AnnouncementByURI(ctx, second.URI)
	if c, err := b.App.Store.BountyClaimOf(ctx, onBco.ID); err != nil || c.BountyID != secondOnB.ID {
		t.Fatalf("B's claim %+v, %v", c, err)
	}
	if _, err := b.App.Svc.Communities.Decide(ctx, bob, onBco.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	annOnB, err := b.App.Store.ActorByURI(ctx, ann.URI)
	if err != nil {
		t.Fatal(err)
	}
	bv, err = b.App.Svc.Economy.Bounty(ctx, secondOnB.ID)
	if err != nil || bv.State != models.AnnouncementClosed || len(bv.Entries) != 1 || bv.Entries[0].ReceiverID != annOnB.ID ||
		bv.Entries[0].AmountMinor != 4000 {
		t.Fatalf("B's second bounty %+v, %v", bv, err)
	}
}
