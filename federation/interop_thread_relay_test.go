package federation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityRelaysThreadReplies (issue 9): FEP-1b12 and Lemmy relay every
// comment of a community thread, not only its posts. A Mastodon user answering
// a post the Group boosted addresses only the post's author (no mention of the
// Group, no audience); the reply is still a comment of that community, and the
// Group announces it to its followers on other servers. So does a local
// member's public reply; a reply to a note outside any community is not
// relayed, and a direct reply in the thread stays with its addressees.
func TestCommunityRelaysThreadReplies(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	group, maria := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden"})
	fake := newCMFake(t)
	felix, nina, olga := fake.mastodon(t, "felix"), fake.mastodon(t, "nina"), fake.mastodon(t, "olga")
	cmFollowGroup(t, inst, olga, group) // the follower on another server

	// felix posts into the community; the Group relays it.
	create, postID := cmNote(t, inst, felix, group, "Seed swap on Saturday", "")
	if st, body := felix.post(t, group.InboxURI, create); st != http.StatusAccepted {
		t.Fatalf("Create: %d %s", st, body)
	}
	fake.waitPost(t, "Announce of the post", cmIs("Announce", group.URI, postID))

	// reply builds a Mastodon reply by a to parentID addressed to the parent's
	// author only (cc), as Mastodon sends it, delivered to the Group's inbox
	// (shared inbox: the Group follows nobody, the instance does).
	reply := func(a *cmActor, parentID, parentAuthor, text string, direct bool) (map[string]any, string) {
		c, id := cmNote(t, inst, a, group, text, parentID)
		note := c["object"].(map[string]any)
		to, cc := []any{"https://www.w3.org/ns/activitystreams#Public"}, []any{a.URI + "/followers", parentAuthor}
		if direct {
			to, cc = []any{parentAuthor}, []any{}
		}
		c["to"], c["cc"], note["to"], note["cc"] = to, cc, to, cc
		note["tag"] = []any{map[string]any{"type": "Mention", "href": parentAuthor, "name": "@someone"}}
		note["content"] = "<p>" + text + "</p>"
		note["contentMap"] = map[string]any{"en": note["content"]}
		served := map[string]any{"@context": c["@context"]}
		for k, v := range note {
			served[k] = v
		}
		a.fake.put(id, served)
		return c, id
	}

	t.Run("remote reply is relayed", func(t *testing.T) {
		c, replyID := reply(nina, postID, felix.URI, "I will bring beans", false)
		if st, body := nina.post(t, inst.URL+"/inbox", c); st != http.StatusAccepted {
			t.Fatalf("reply: %d %s", st, body)
		}
		if row := cmOutcome(t, inst, c["id"].(string)); row.State != models.ActivityProcessed {
			t.Fatalf("reply ended %s: %s", row.State, row.Error)
		}
		n, err := inst.App.Store.NoteByURI(ctx, replyID)
		if err != nil || n.AudienceURI != group.URI {
			t.Fatalf("reply stored %+v %v: want it in the community", n, err)
		}
		fake.waitPost(t, "Announce of the reply", cmIs("Announce", group.URI, replyID))
		fake.waitPost(t, "Announce of the reply's Create", cmIs("Announce", group.URI, c["id"].(string)))
		if _, thread, err := svc.Communities.Thread(ctx, group, postOf(t, inst, postID)); err != nil || !hasNote(thread, replyID) {
			t.Fatalf("thread %v %v: the reply is missing", thread, err)
		}
	})

	t.Run("local reply is relayed", func(t *testing.T) {
		n, err := svc.Social.PostNote(ctx, maria, service.NoteInput{Content: "Welcome, all", InReplyTo: postID, Visibility: models.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		if n.AudienceURI != group.URI {
			t.Fatalf("local reply's audience %q, want the community", n.AudienceURI)
		}
		fake.waitPost(t, "Announce of the local reply", cmIs("Announce", group.URI, n.URI))
	})

	t.Run("direct reply stays private", func(t *testing.T) {
		c, replyID := reply(nina, postID, felix.URI, "psst, felix", true)
		if st, body := nina.post(t, inst.URL+"/inbox", c); st != http.StatusAccepted {
			t.Fatalf("reply: %d %s", st, body)
		}
		cmOutcome(t, inst, c["id"].(string))
		inst.WaitQueueIdle(t)
		if fake.hasPost(cmIs("Announce", group.URI, replyID)) {
			t.Fatal("a direct reply was relayed")
		}
		if n, err := inst.App.Store.NoteByURI(ctx, replyID); err == nil && n.AudienceURI != "" {
			t.Fatalf("direct reply became a community comment: %+v", n)
		}
	})

	t.Run("reply outside any community is not relayed", func(t *testing.T) {
		own, err := svc.Social.PostNote(ctx, maria, service.NoteInput{Content: "my own garden diary", Visibility: models.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		c, replyID := reply(nina, own.URI, maria.URI, "nice diary", false)
		if st, body := nina.post(t, inst.URL+"/inbox", c); st != http.StatusAccepted {
			t.Fatalf("reply: %d %s", st, body)
		}
		cmOutcome(t, inst, c["id"].(string))
		inst.WaitQueueIdle(t)
		if fake.hasPost(cmIs("Announce", group.URI, replyID)) {
			t.Fatal("a reply outside the community was relayed")
		}
	})
}

func postOf(t *testing.T, inst *apptest.Instance, uri string) string {
	t.Helper()
	n, err := inst.App.Store.NoteByURI(context.Background(), uri)
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func hasNote(list []models.Note, uri string) bool {
	for _, n := range list {
		if n.URI == uri {
			return true
		}
	}
	return false
}
