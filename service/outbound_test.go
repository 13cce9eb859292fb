package service_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// recorder is a Publisher that keeps what the service hands it.
type recorder = servicetest.Recorder

// TestPublishedActivities drives the service methods that publish and checks
// each hands the Publisher the verb, the object kind with its values, the target
// and the recipients that the converters and the delivery expect.
func TestPublishedActivities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		rec := &recorder{}
		s.SetPorts(rec, nil, nil)
		u, err := s.Accounts.SignUp(ctx, service.Registration{Username: "alice", Email: "alice@example.org", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		alice, err := s.Accounts.ActorOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		remote := func(typ, name string) *models.Actor {
			uri := "https://remote.example/users/" + name
			a := &models.Actor{ID: models.NewID(), Type: typ, Username: name, UsernameLower: name, Domain: "remote.example",
				URI: uri, InboxURI: uri + "/inbox", FollowersURI: uri + "/followers"}
			if err := st.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		bob := remote(models.ActorPerson, "bob")
		garden := remote(models.ActorGroup, "garden")

		// one expects exactly one activity of verb by actor to recipient, and
		// returns it.
		one := func(t *testing.T, verb string, actor, to *models.Actor) *service.Outbound {
			t.Helper()
			l := rec.Take()
			if len(l) != 1 {
				t.Fatalf("published %d activities, want one %s", len(l), verb)
			}
			out := l[0]
			if out.Type != verb || out.Actor.ID != actor.ID {
				t.Fatalf("published %s by %s, want %s by %s", out.Type, out.Actor.URI, verb, actor.URI)
			}
			if to != nil && (len(out.Recipients) != 1 || out.Recipients[0].ID != to.ID) {
				t.Errorf("%s recipients %v, want %s", verb, out.Recipients, to.URI)
			}
			return out
		}

		t.Run("follow and unfollow a remote actor", func(t *testing.T) {
			f, err := s.Social.Follow(ctx, alice, bob, "")
			if err != nil {
				t.Fatal(err)
			}
			out := one(t, service.TypeFollow, alice, bob)
			if out.ID != f.URI || out.Object != (service.Ref{URI: bob.URI}) {
				t.Errorf("follow: id %s object %#v", out.ID, out.Object)
			}
			if err := s.Social.Unfollow(ctx, alice, f); err != nil {
				t.Fatal(err)
			}
			out = one(t, service.TypeUndo, alice, bob)
			fo, ok := out.Object.(service.FollowObject)
			if !ok || fo.Follow.URI != f.URI || fo.Follower.ID != alice.ID || fo.Target.ID != bob.ID {
				t.Errorf("undo object %#v", out.Object)
			}
		})
		t.Run("accept a remote follower", func(t *testing.T) {
			f, err := s.Social.Follow(ctx, bob, alice, "https://remote.example/follows/1")
			if err != nil {
				t.Fatal(err)
			}
			out := one(t, service.TypeAccept, alice, bob)
			fo, ok := out.Object.(service.FollowObject)
			if !ok || fo.Follow.URI != f.URI || fo.Follower.ID != bob.ID || fo.Target.ID != alice.ID {
				t.Errorf("accept object %#v", out.Object)
			}
		})
		t.Run("post and delete a note", func(t *testing.T) {
			n, err := s.Social.PostNote(ctx, alice, service.NoteInput{Content: "hello", Visibility: models.VisibilityPublic})
			if err != nil {
				t.Fatal(err)
			}
			out := one(t, service.TypeCreate, alice, nil)
			no, ok := out.Object.(service.NoteObject)
			if !ok || no.Note.URI != n.URI || no.Author.ID != alice.ID || !out.Published.Equal(n.Published) || !out.Public || !out.ToFollowers {
				t.Errorf("create: %#v published %v public %v", out.Object, out.Published, out.Public)
			}
			if err := s.Social.DeleteNote(ctx, alice, n.ID); err != nil {
				t.Fatal(err)
			}
			out = one(t, service.TypeDelete, alice, nil)
			if out.Object != (service.Tombstone{URI: n.URI}) {
				t.Errorf("delete object %#v", out.Object)
			}
		})
		t.Run("join, offer to and leave a remote community", func(t *testing.T) {
			if _, err := s.Communities.Join(ctx, alice, garden, ""); err != nil {
				t.Fatal(err)
			}
			out := one(t, service.TypeJoin, alice, garden)
			if out.Object != (service.Ref{URI: garden.URI}) {
				t.Errorf("join object %#v", out.Object)
			}
			co, err := s.Communities.Offer(ctx, alice, garden, service.ContributionInput{Title: "bench", Body: "plans",
				Kind: "design", Licence: service.Licences[0]}, nil)
			if err != nil {
				t.Fatal(err)
			}
			out = one(t, service.TypeOffer, alice, garden)
			cobj, ok := out.Object.(service.ContributionObject)
			if !ok || cobj.Contribution.ID != co.ID || cobj.Group.ID != garden.ID || out.Target != garden.URI || out.ID != co.OfferURI {
				t.Errorf("offer: %#v target %q", out.Object, out.Target)
			}
			if err := s.Communities.Leave(ctx, alice, garden); err != nil {
				t.Fatal(err)
			}
			out = one(t, service.TypeLeave, alice, garden)
			if out.Object != (service.Ref{URI: garden.URI}) {
				t.Errorf("leave object %#v", out.Object)
			}
		})
		t.Run("a local community answers a remote member and accepts an offer", func(t *testing.T) {
			group, _, err := s.Communities.Create(ctx, u, service.CommunityInput{Handle: "makers", Licence: service.Licences[0],
				PostingPolicy: "open", OfferPolicy: "open", MembershipPolicy: "open", WeightMin: 1, WeightMax: 3})
			if err != nil {
				t.Fatal(err)
			}
			rec.Take()
			m, err := s.Communities.Join(ctx, bob, group, "https://remote.example/joins/1")
			if err != nil {
				t.Fatal(err)
			}
			out := one(t, service.TypeAccept, group, bob)
			mo, ok := out.Object.(service.MembershipObject)
			if !ok || mo.Membership.ID != m.ID || mo.Member.ID != bob.ID || mo.Group.ID != group.ID {
				t.Errorf("accept join object %#v", out.Object)
			}
			co, err := s.Communities.Offer(ctx, bob, group, service.ContributionInput{Title: "fix", Kind: "code"},
				&service.RemoteOffer{ObjectURI: "https://remote.example/contributions/1", OfferURI: "https://remote.example/offers/1"})
			if err != nil {
				t.Fatal(err)
			}
			if l := rec.Take(); len(l) != 0 {
				t.Fatalf("a received offer published %d activities", len(l))
			}
			if _, err := s.Communities.Decide(ctx, alice, co.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			l := rec.Take()
			if len(l) != 3 {
				t.Fatalf("accepting an offer published %d activities, want Accept, Add, Announce", len(l))
			}
			if oo, ok := l[0].Object.(service.OfferObject); l[0].Type != service.TypeAccept || !ok ||
				oo.Contribution.ID != co.ID || oo.Contributor.ID != bob.ID || oo.Group.ID != group.ID {
				t.Errorf("accept offer: %s %#v", l[0].Type, l[0].Object)
			}
			for i, verb := range []string{service.TypeAdd, service.TypeAnnounce} {
				out := l[i+1]
				cobj, ok := out.Object.(service.ContributionObject)
				if out.Type != verb || !ok || cobj.Contribution.ID != co.ID || cobj.Group.ID != group.ID || out.Audience != group.URI {
					t.Errorf("%s: %s %#v audience %q", verb, out.Type, out.Object, out.Audience)
				}
			}
			if l[1].Target != group.URI+"/commons" {
				t.Errorf("add target %q", l[1].Target)
			}
		})
	})
}
