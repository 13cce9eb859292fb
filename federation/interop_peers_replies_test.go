package federation_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestPeersReplyNotifiesFedify (issue 9, 3; two commonsd instances:
// TestReplyMentionsParentAuthor): ada@A answers a note of Fedify's alice
// without naming her. Fedify, which does not follow ada, receives the reply
// (verified), addressed to alice (cc) and with a Mention tag of alice, as
// Mastodon needs to notify her.
func TestPeersReplyNotifiesFedify(t *testing.T) {
	a := apptest.Start(t)
	peer := fedpeer.Start(t)
	ctx := context.Background()
	newUser(t, a, "ada")
	ada := actorOf(t, a, "ada")
	followAccepted(t, a, ada, peer.ActorURL())
	parent, err := peer.Post("<p>Who waters the garden?</p>", fedpeer.Public)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice's note on A", func() bool { return inTimeline(t, a, ada, parent) })
	if fs, err := peer.Following(); err != nil || len(fs) != 0 {
		t.Fatalf("alice follows %v %v: the reply must reach her as a mention, not as a follower", fs, err)
	}
	for _, tc := range []struct{ name, visibility string }{
		{"public", models.VisibilityPublic},
		{"followers-only", models.VisibilityFollowers},
		{"direct", models.VisibilityDirect},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reply, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "I do, on Sundays.", Visibility: tc.visibility, InReplyTo: parent})
			if err != nil {
				t.Fatal(err)
			}
			got := peer.WaitFor(t, func(x fedpeer.Activity) bool { return x.Type == "Create" && x.Object == reply.URI }, 15*time.Second)
			if got.Actor != ada.URI || got.FetchError != nil {
				t.Fatalf("Create as Fedify read it: %+v (error %v)", got, got.FetchError)
			}
			var note struct {
				Object struct {
					InReplyTo string `json:"inReplyTo"`
					To, CC    any
					Tag       []struct{ Type, Href, Name string }
				}
			}
			if err := json.Unmarshal(got.Raw, &note); err != nil {
				t.Fatalf("raw %s: %v", got.Raw, err)
			}
			o := note.Object
			addressed := slices.Contains(append(cmStrs(o.To), cmStrs(o.CC)...), peer.ActorURL())
			mentioned := slices.ContainsFunc(o.Tag, func(tg struct{ Type, Href, Name string }) bool {
				return tg.Type == "Mention" && tg.Href == peer.ActorURL()
			})
			if o.InReplyTo != parent || !addressed || !mentioned {
				t.Fatalf("reply as delivered: inReplyTo %q, addressed %v, mentioned %v: %s", o.InReplyTo, addressed, mentioned, got.Raw)
			}
		})
	}
	peerRefusedNothing(t, peer)
}
