package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestPeersLeaveByUnfollow (issue 9, 5): a member who joined garden@A with a
// Join and also follows it leaves by unfollowing (Undo{Follow}): from another
// commonsd instance (whose own copy of the membership ends with it) and from
// Fedify. The community's other members are untouched.
func TestPeersLeaveByUnfollow(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	peer := fedpeer.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, a, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	active := func(uri string) bool {
		m := cmMembership(t, a, group, uri)
		return m != nil && m.State == models.MembershipActive
	}
	newUser(t, b, "bob")
	newUser(t, b, "bea")
	bob, bea := actorOf(t, b, "bob"), actorOf(t, b, "bea")
	onB, _, err := b.App.Svc.Communities.Resolve(ctx, a.Handle("garden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.Actor{bob, bea} {
		if _, err := b.App.Svc.Communities.Join(ctx, u, onB, ""); err != nil {
			t.Fatal(err)
		}
		eventually(t, u.Username+" joined", func() bool { return active(u.URI) })
	}

	t.Run("commonsd member", func(t *testing.T) {
		f := followAccepted(t, b, bob, a.Handle("garden"))
		if err := b.App.Svc.Social.Unfollow(ctx, bob, f); err != nil {
			t.Fatal(err)
		}
		eventually(t, "bob's membership ended on A", func() bool { return cmMembership(t, a, group, bob.URI) == nil })
		// B keeps no copy of the membership A ended: bob is not shown a member.
		if m, err := b.App.Store.Membership(ctx, onB.ID, bob.ID); err == nil {
			t.Fatalf("B still has bob's membership: %+v", m)
		}
		if m, err := b.App.Store.Membership(ctx, onB.ID, bea.ID); err != nil || m.State != models.MembershipActive {
			t.Fatalf("B's copy of bea's membership: %+v %v", m, err)
		}
		if !active(bea.URI) {
			t.Fatal("bea's membership ended too")
		}
	})
	t.Run("Fedify member", func(t *testing.T) {
		joinID, err := peer.Join(group.URI)
		if err != nil {
			t.Fatal(err)
		}
		peer.WaitFor(t, func(x fedpeer.Activity) bool { return x.Type == "Accept" && x.Actor == group.URI && x.Object == joinID }, 20*time.Second)
		if !active(peer.ActorURL()) {
			t.Fatalf("alice's membership after the Join: %+v", cmMembership(t, a, group, peer.ActorURL()))
		}
		followID, err := peer.Follow(group.URI)
		if err != nil {
			t.Fatal(err)
		}
		peer.WaitFor(t, func(x fedpeer.Activity) bool { return x.Type == "Accept" && x.Object == followID }, 20*time.Second)
		if _, err := peer.Unfollow(group.URI); err != nil {
			t.Fatal(err)
		}
		// The Undo's job ends the membership, then removes the follow: wait for
		// both (the job is done), not for the first.
		// (bea follows garden too: joining followed it.)
		eventually(t, "alice's membership and follow ended on A", func() bool {
			alice, err := a.App.Store.ActorByURI(ctx, peer.ActorURL())
			if err != nil {
				return false
			}
			_, ferr := a.App.Store.FollowByPair(ctx, alice.ID, group.ID)
			return cmMembership(t, a, group, peer.ActorURL()) == nil && ferr != nil
		})
		if !active(bea.URI) {
			t.Fatal("bea's membership ended too")
		}
		peerRefusedNothing(t, peer)
	})
}
