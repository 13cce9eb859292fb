package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityAcrossThreeInstances: a user on B follows a community on A; a member
// on C joins, offers a contribution, a maintainer on A accepts it; B's follower and
// C's contributor both receive the Announce; the commons on A lists it with C's
// attribution; a Reject carries its reason back.
func TestCommunityAcrossThreeInstances(t *testing.T) {
	a, b, c := apptest.Start(t), apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "maria")
	newUser(t, b, "bea")
	newUser(t, c, "carl")
	maria, bea, carl := actorOf(t, a, "maria"), actorOf(t, b, "bea"), actorOf(t, c, "carl")
	mariaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "maria")
	group, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "wiki", Name: "Wiki", Licence: "CC-BY-SA-4.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.App.Svc.Social.FollowByHandle(ctx, bea, a.Handle("wiki")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B follows the community", func() bool { n, _ := a.App.Store.CountFollowers(ctx, group.ID); return n == 1 })

	remoteGroup, _, err := c.App.Svc.Communities.Resolve(ctx, a.Handle("wiki"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.App.Svc.Communities.Join(ctx, carl, remoteGroup, "")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "C's join accepted", func() bool {
		got, err := c.App.Store.Membership(ctx, remoteGroup.ID, carl.ID)
		return err == nil && got.State == models.MembershipActive && got.ID == m.ID
	})
	co, err := c.App.Svc.Communities.Offer(ctx, carl, remoteGroup, service.ContributionInput{Title: "Translate the intro", Body: "Done in *Catalan*.",
		Kind: "translation", Licence: "CC-BY-SA-4.0", Links: []string{"https://example.org/mr/1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var onA *models.Contribution
	eventually(t, "offer arrives on A", func() bool {
		var err error
		onA, err = a.App.Store.ContributionByURI(ctx, co.URI)
		return err == nil
	})
	if onA.Title != "Translate the intro" || onA.Kind != "translation" || onA.Licence != "CC-BY-SA-4.0" {
		t.Fatalf("copy on A: %+v", onA)
	}
	// A maintainer's review comment reaches the remote contributor as a direct note.
	if _, err := a.App.Svc.Communities.Comment(ctx, maria, onA.ID, "Please add the glossary too.", true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "review comment in C's timeline", func() bool {
		tl, _ := c.App.Svc.Social.Timeline(ctx, carl, "", 10)
		for _, e := range tl {
			if e.Note.InReplyToURI == co.URI && e.Note.Visibility == models.VisibilityDirect &&
				strings.Contains(e.Note.Content, "Please add the glossary too.") && e.Author.URI == maria.URI {
				return true
			}
		}
		return false
	})
	if _, err := a.App.Svc.Communities.Decide(ctx, maria, onA.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "C sees its contribution accepted", func() bool {
		got, _ := c.App.Store.ContributionByID(ctx, co.ID)
		return got != nil && got.State == models.ContributionAccepted
	})
	defer func() {
		if t.Failed() {
			var rows []models.Activity
			b.App.Store.DB.Find(&rows)
			for _, r := range rows {
				t.Logf("B activity %s %s %s %q", r.Type, r.State, r.URI, r.Error)
			}
		}
	}()
	eventually(t, "B's timeline shows the community's boost", func() bool {
		tl, _ := b.App.Svc.Social.Timeline(ctx, bea, "", 10)
		return len(tl) == 1 && tl[0].Note.URI == co.URI && tl[0].BoostedBy != nil && tl[0].BoostedBy.URI == group.URI
	})
	commons, n, err := a.App.Svc.Communities.Commons(ctx, group, "", 10, 0)
	if err != nil || n != 1 || commons[0].ContributorID != a.App.Svc.Communities.MustActorID(ctx, carl.URI) {
		t.Fatalf("commons %v %d %v", commons, n, err)
	}
	ledger, _, _ := a.App.Svc.Communities.Ledger(ctx, group, 10, 0)
	if len(ledger) != 1 || ledger[0].Kind != "translation" {
		t.Fatalf("ledger %+v", ledger)
	}

	// A second offer is rejected with a reason, which reaches C.
	co2, err := c.App.Svc.Communities.Offer(ctx, carl, remoteGroup, service.ContributionInput{Title: "Spam", Kind: "other", Licence: "CC-BY-SA-4.0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "second offer on A", func() bool { _, err := a.App.Store.ContributionByURI(ctx, co2.URI); return err == nil })
	onA2, _ := a.App.Store.ContributionByURI(ctx, co2.URI)
	if _, err := a.App.Svc.Communities.Decide(ctx, maria, onA2.ID, false, "Out of scope for this wiki"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "reject reason on C", func() bool {
		got, _ := c.App.Store.ContributionByID(ctx, co2.ID)
		return got != nil && got.State == models.ContributionRejected && got.Reason == "Out of scope for this wiki"
	})
}
