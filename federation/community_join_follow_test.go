package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// TestJoiningRemoteCommunityFollowsIt (issue 10 §2): carl, on B, joins maria's
// community on A (approval); once maria approves, carl also follows it, so a
// discussion posted in it reaches carl's home timeline on B. When carl leaves,
// the follow is undone on both sides with the membership. Joining and leaving
// a community of one's own instance does the same (ada on A).
func TestJoiningRemoteCommunityFollowsIt(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "maria")
	newUser(t, a, "ada")
	newUser(t, b, "carl")
	maria, ada, carl := actorOf(t, a, "maria"), actorOf(t, a, "ada"), actorOf(t, b, "carl")
	mariaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "maria")
	group, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "garden", Name: "Garden",
		Licence: "CC-BY-SA-4.0", MembershipPolicy: models.PolicyApproval})
	if err != nil {
		t.Fatal(err)
	}
	remoteGroup, _, err := b.App.Svc.Communities.Resolve(ctx, a.Handle("garden"))
	if err != nil {
		t.Fatal(err)
	}
	followState := func(st *store.Store, follower, target *models.Actor) string {
		f, err := st.FollowByPair(ctx, follower.ID, target.ID)
		if err != nil {
			return ""
		}
		return f.State
	}
	carlOnA := func() *models.Actor {
		act, err := a.App.Store.ActorByURI(ctx, carl.URI)
		if err != nil {
			t.Fatalf("carl on A: %v", err)
		}
		return act
	}

	if _, err := b.App.Svc.Communities.Join(ctx, carl, remoteGroup, ""); err != nil {
		t.Fatal(err)
	}
	var request *models.Membership
	eventually(t, "A has carl's request", func() bool {
		act, err := a.App.Store.ActorByURI(ctx, carl.URI)
		if err != nil {
			return false
		}
		request, err = a.App.Store.Membership(ctx, group.ID, act.ID)
		return err == nil && request.State == models.MembershipPending
	})
	if s := followState(b.App.Store, carl, remoteGroup); s != "" {
		t.Fatalf("carl follows before being accepted: %q", s)
	}
	if _, err := a.App.Svc.Communities.DecideMembership(ctx, maria, group, request.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "carl is a member and follows the community, on both sides", func() bool {
		m, err := b.App.Store.Membership(ctx, remoteGroup.ID, carl.ID)
		return err == nil && m.State == models.MembershipActive &&
			followState(b.App.Store, carl, remoteGroup) == models.FollowAccepted &&
			followState(a.App.Store, carlOnA(), group) == models.FollowAccepted
	})
	note, err := a.App.Svc.Social.PostNote(ctx, maria, service.NoteInput{Content: "Seed swap on Saturday",
		Visibility: models.VisibilityPublic, Community: "garden"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the community's post reaches carl's home timeline on B", func() bool {
		items, err := b.App.Svc.Social.Timeline(ctx, carl, "", 20)
		if err != nil {
			return false
		}
		for _, it := range items {
			if it.Note.URI == note.URI {
				return true
			}
		}
		return false
	})

	if err := b.App.Svc.Communities.Leave(ctx, carl, remoteGroup); err != nil {
		t.Fatal(err)
	}
	if s := followState(b.App.Store, carl, remoteGroup); s != "" {
		t.Fatalf("carl still follows on B after leaving: %q", s)
	}
	eventually(t, "A ends carl's membership and follow", func() bool {
		_, err := a.App.Store.Membership(ctx, group.ID, carlOnA().ID)
		return err == store.ErrNotFound && followState(a.App.Store, carlOnA(), group) == ""
	})

	// The same on one instance: ada joins (approved by maria), follows, leaves.
	m, err := a.App.Svc.Communities.Join(ctx, ada, group, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.App.Svc.Communities.DecideMembership(ctx, maria, group, m.ID, true); err != nil {
		t.Fatal(err)
	}
	if s := followState(a.App.Store, ada, group); s != models.FollowAccepted {
		t.Fatalf("ada's follow after joining: %q", s)
	}
	if err := a.App.Svc.Communities.Leave(ctx, ada, group); err != nil {
		t.Fatal(err)
	}
	if s := followState(a.App.Store, ada, group); s != "" {
		t.Fatalf("ada still follows after leaving: %q", s)
	}
}
