package federation_test

import (
	"context"
	"slices"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestReplyMentionsParentAuthor: a reply written on A to bob@B's note, whose
// text does not name bob, carries a Mention tag of bob and has bob in cc (as
// Mastodon's replies do), so that B shows it to bob although bob does not
// follow ada. A self-reply mentions nobody.
func TestReplyMentionsParentAuthor(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ctx := context.Background()
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")
	followAccepted(t, a, ada, b.Handle("bob"))
	parent, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "Who waters the garden?"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's note on A", func() bool { return inTimeline(t, a, ada, parent.URI) })

	for _, tc := range []struct {
		name, visibility string
		wantMention      bool
	}{
		{"public reply", models.VisibilityPublic, true},
		{"followers-only reply", models.VisibilityFollowers, true},
		{"direct reply to the author", models.VisibilityDirect, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reply, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "I do, on Sundays.", Visibility: tc.visibility, InReplyTo: parent.URI})
			if err != nil {
				t.Fatal(err)
			}
			tags, err := a.App.Svc.Social.NoteTags(ctx, reply.ID)
			if err != nil {
				t.Fatal(err)
			}
			mentioned := slices.ContainsFunc(tags, func(tg models.NoteTag) bool { return tg.Type == "Mention" && tg.Href == bob.URI })
			addressed := slices.Contains(append(append([]string{}, reply.To...), reply.CC...), bob.URI)
			if mentioned != tc.wantMention || addressed != tc.wantMention {
				t.Fatalf("mention %v, addressed %v (to %s cc %s)", mentioned, addressed, reply.To, reply.CC)
			}
			// B received it because of the mention and shows it to bob.
			eventually(t, "the reply in bob's timeline on B", func() bool { return inTimeline(t, b, bob, reply.URI) })
			got, err := b.App.Store.NoteByURI(ctx, reply.URI)
			if err != nil || got.InReplyToURI != parent.URI {
				t.Fatalf("reply on B: %+v %v", got, err)
			}
		})
	}
	t.Run("public reply as served", func(t *testing.T) {
		reply, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "And on Mondays.", InReplyTo: parent.URI})
		if err != nil {
			t.Fatal(err)
		}
		doc := cmGetJSON(t, a, reply.URI)
		if !slices.Contains(cmStrs(doc["cc"]), bob.URI) {
			t.Errorf("cc %v lacks %s", doc["cc"], bob.URI)
		}
		var ok bool
		for _, tg := range cmList(doc["tag"]) {
			m, _ := tg.(map[string]any)
			ok = ok || (m["type"] == "Mention" && m["href"] == bob.URI && m["name"] == "@bob@"+b.Host)
		}
		if !ok {
			t.Errorf("no Mention of bob in %v", doc["tag"])
		}
	})
	t.Run("self-reply and direct reply to others", func(t *testing.T) {
		newUser(t, a, "cid")
		own, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "Note to self"})
		if err != nil {
			t.Fatal(err)
		}
		self, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "again", InReplyTo: own.URI})
		if err != nil {
			t.Fatal(err)
		}
		dm, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "@cid what do you think?", Visibility: models.VisibilityDirect, InReplyTo: parent.URI})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []*models.Note{self, dm} {
			tags, _ := a.App.Svc.Social.NoteTags(ctx, n.ID)
			for _, tg := range tags {
				if tg.Type == "Mention" && (tg.Href == ada.URI || tg.Href == bob.URI) {
					t.Errorf("%q mentions %s", n.Source, tg.Href)
				}
			}
			if slices.Contains(append(append([]string{}, n.To...), n.CC...), bob.URI) {
				t.Errorf("%q addressed to bob", n.Source)
			}
		}
	})
}
