package federation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestPeersThreadRepliesRelayed (issue 9, 4): maria posts in the community
// garden@A; bob, a member on B, answers the post from B. The Group relays the
// reply (Announce) to its followers on other servers: cat@C shows it in her
// timeline and in the thread, and Fedify's alice receives an Announce whose
// object she can read. A reply from Fedify (addressed Mastodon-style to the
// post's author only) reaches C the same way.
func TestPeersThreadRepliesRelayed(t *testing.T) {
	a, b, c := apptest.Start(t), apptest.Start(t), apptest.Start(t)
	peer := fedpeer.Start(t)
	ctx := context.Background()
	group, maria := cmCommunity(t, a, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	newUser(t, b, "bob")
	newUser(t, c, "cat")
	bob, cat := actorOf(t, b, "bob"), actorOf(t, c, "cat")

	// bob joins from B and follows the community, cat@C and alice follow it.
	onB, _, err := b.App.Svc.Communities.Resolve(ctx, a.Handle("garden"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Svc.Communities.Join(ctx, bob, onB, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's membership", func() bool {
		m := cmMembership(t, a, group, bob.URI)
		return m != nil && m.State == models.MembershipActive
	})
	followAccepted(t, b, bob, a.Handle("garden"))
	followAccepted(t, c, cat, a.Handle("garden"))
	followID, err := peer.Follow(group.URI)
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(x fedpeer.Activity) bool { return x.Type == "Accept" && x.Object == followID }, 20*time.Second)

	post, err := a.App.Svc.Social.PostNote(ctx, maria, service.NoteInput{Content: "Seed swap on Saturday", Community: "garden"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the post on B", func() bool { _, err := b.App.Store.NoteByURI(ctx, post.URI); return err == nil })
	eventually(t, "the post on C", func() bool { return inTimeline(t, c, cat, post.URI) })

	reply, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "I will bring beans", InReplyTo: post.URI})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("A keeps it in the thread", func(t *testing.T) {
		eventually(t, "the reply on A", func() bool {
			n, err := a.App.Store.NoteByURI(ctx, reply.URI)
			return err == nil && n.AudienceURI == group.URI
		})
		if _, thread, err := a.App.Svc.Communities.Thread(ctx, group, post.ID); err != nil || !hasNote(thread, reply.URI) {
			t.Fatalf("thread on A %v %v: the reply is missing", thread, err)
		}
	})
	t.Run("commonsd follower on C", func(t *testing.T) {
		eventually(t, "the relayed reply in cat's timeline", func() bool { return inTimeline(t, c, cat, reply.URI) })
		n, err := c.App.Store.NoteByURI(ctx, reply.URI)
		if err != nil || n.InReplyToURI != post.URI || !strings.Contains(n.Content, "beans") {
			t.Fatalf("reply on C: %+v %v", n, err)
		}
		onC, _, err := c.App.Svc.Communities.Resolve(ctx, a.Handle("garden"))
		if err != nil {
			t.Fatal(err)
		}
		if _, thread, err := c.App.Svc.Communities.Thread(ctx, onC, postOf(t, c, post.URI)); err != nil || !hasNote(thread, reply.URI) {
			t.Fatalf("thread on C %v %v: the reply is missing", thread, err)
		}
	})
	t.Run("Fedify follower", func(t *testing.T) {
		got := peer.WaitFor(t, func(x fedpeer.Activity) bool {
			return x.Type == "Announce" && x.Actor == group.URI && x.Object == reply.URI
		}, 20*time.Second)
		if got.FetchError != nil || got.FetchedObject == nil || got.FetchedObject.Content == nil ||
			!strings.Contains(*got.FetchedObject.Content, "beans") {
			t.Fatalf("the Announce's object as Fedify read it: %+v (error %v)", got.FetchedObject, got.FetchError)
		}
	})
	t.Run("Fedify's reply relayed to C", func(t *testing.T) {
		id, err := peer.Reply("<p>And I bring pumpkins</p>", post.URI, fedpeer.Public, maria.URI)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "Fedify's reply in cat's timeline", func() bool { return inTimeline(t, c, cat, id) })
		n, err := c.App.Store.NoteByURI(ctx, id)
		if err != nil || n.InReplyToURI != post.URI || !strings.Contains(n.Content, "pumpkins") {
			t.Fatalf("Fedify's reply on C: %+v %v", n, err)
		}
		peer.WaitFor(t, func(x fedpeer.Activity) bool { return x.Type == "Announce" && x.Actor == group.URI && x.Object == id }, 20*time.Second)
		peerRefusedNothing(t, peer)
	})
}
