package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/service"
)

// Issue 9 between real peers: each behaviour of interop_*_test.go exercised
// between commonsd instances (apptest) and the Fedify peer (internal/fedpeer),
// not only against stand-ins. One file per behaviour: interop_peers_*_test.go.

// TestPeersColdFollow (issue 9, 1): an actor that A has never seen follows a
// person and a community on A and gets an Accept, from another commonsd
// instance and from Fedify (whose keyId is actor#main-key).
func TestPeersColdFollow(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	peer := fedpeer.Start(t)
	ctx := context.Background()
	newUser(t, a, "ada")
	group, _ := cmCommunity(t, a, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	newUser(t, b, "bob")
	newUser(t, b, "bea")

	cold := func(t *testing.T, uri string) {
		t.Helper()
		if _, err := a.App.Store.ActorByURI(ctx, uri); err == nil {
			t.Fatalf("not a cold follow: A already knows %s", uri)
		}
	}
	known := func(t *testing.T, uri string) {
		t.Helper()
		row, err := a.App.Store.ActorByURI(ctx, uri)
		if err != nil || row.PublicKeyPEM == "" || row.InboxURI == "" {
			t.Fatalf("A's row of %s: %+v %v", uri, row, err)
		}
	}
	for _, tc := range []struct{ name, user, target string }{
		{"commonsd user follows a person", "bob", "ada"},
		{"commonsd user follows a community", "bea", "garden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			follower := actorOf(t, b, tc.user)
			cold(t, follower.URI)
			followAccepted(t, b, follower, a.Handle(tc.target))
			known(t, follower.URI)
		})
	}
	t.Run("Fedify follows a community", func(t *testing.T) {
		cold(t, peer.ActorURL())
		id, err := peer.Follow(group.URI)
		if err != nil {
			t.Fatal(err)
		}
		peer.WaitFor(t, func(x fedpeer.Activity) bool {
			return x.Type == "Accept" && x.Actor == group.URI && x.Object == id
		}, 20*time.Second)
		known(t, peer.ActorURL())
		if n, err := a.App.Store.CountFollowers(ctx, group.ID); err != nil || n != 2 {
			t.Fatalf("the community's followers: %d %v, want 2 (bea, Fedify)", n, err)
		}
		peerRefusedNothing(t, peer)
	})
}

// peerRefusedNothing fails the test if Fedify rejected a signature or
// answered one of our requests with an error.
func peerRefusedNothing(t *testing.T, peer *fedpeer.Peer) {
	t.Helper()
	if rs, err := peer.Rejected(); err != nil || len(rs) != 0 {
		t.Errorf("Fedify rejected %+v, %v", rs, err)
	}
	reqs, err := peer.Requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.Status >= 400 {
			t.Errorf("Fedify answered %s %s with %d: %s", r.Method, r.Path, r.Status, r.Response)
		}
	}
}
