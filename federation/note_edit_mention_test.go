package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestEditAddingMentionNotifies (issue 10 §3): ada (on A) edits her note to
// mention more people. The newly mentioned are notified once: dan on A (a local
// notification), bob on B who already had the note (he follows ada) and eve on B
// who did not (the Update is delivered to her inbox and creates it there).
// cleo, mentioned from the start, is not notified again, and an edit that
// mentions nobody new notifies nobody.
func TestEditAddingMentionNotifies(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	for _, n := range []string{"ada", "cleo", "dan"} {
		newUser(t, a, n)
	}
	newUser(t, b, "bob")
	newUser(t, b, "eve")
	ada, cleo, dan := actorOf(t, a, "ada"), actorOf(t, a, "cleo"), actorOf(t, a, "dan")
	bob, eve := actorOf(t, b, "bob"), actorOf(t, b, "eve")
	if _, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle("ada")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob follows ada", func() bool {
		f, err := b.App.Store.FollowByPair(ctx, bob.ID, mustActor(t, b, ada.URI).ID)
		return err == nil && f.State == models.FollowAccepted
	})
	unread := func(inst *apptest.Instance, who *models.Actor) int64 {
		n, err := inst.App.Svc.Notifications.UnreadCount(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	mentions := func(inst *apptest.Instance, who *models.Actor) int64 {
		var n int64
		inst.App.Store.DB.Model(&models.Notification{}).Where("recipient_id = ? AND kind = ?", who.ID, models.NotifyMention).Count(&n)
		return n
	}

	note, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "Seed swap on Saturday @cleo", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob has the note", func() bool {
		_, err := b.App.Store.NoteByURI(ctx, note.URI)
		return err == nil
	})
	if mentions(a, cleo) != 1 {
		t.Fatalf("cleo: %d mentions after the post", mentions(a, cleo))
	}

	if _, err := a.App.Svc.Social.EditNote(ctx, ada, note.ID, service.NoteEdit{
		Content: "Seed swap on Saturday @cleo @dan " + b.Handle("bob") + " " + b.Handle("eve")}); err != nil {
		t.Fatal(err)
	}
	if got := mentions(a, dan); got != 1 {
		t.Fatalf("dan, newly mentioned: %d mention notifications, want 1", got)
	}
	if got := mentions(a, cleo); got != 1 {
		t.Fatalf("cleo, mentioned before: %d mention notifications, want 1", got)
	}
	eventually(t, "bob and eve on B are notified of the mention", func() bool {
		return mentions(b, bob) == 1 && mentions(b, eve) == 1
	})
	if _, err := b.App.Store.NoteByURI(ctx, note.URI); err != nil {
		t.Fatalf("the note on B: %v", err)
	}

	// An edit that names nobody new notifies nobody.
	before := []int64{unread(a, cleo), unread(a, dan)}
	if _, err := a.App.Svc.Social.EditNote(ctx, ada, note.ID, service.NoteEdit{
		Content: "Seed swap on Sunday @cleo @dan " + b.Handle("bob") + " " + b.Handle("eve")}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the second edit reaches B", func() bool {
		n, err := b.App.Store.NoteByURI(ctx, note.URI)
		return err == nil && strings.Contains(n.Content, "Sunday")
	})
	if after := []int64{unread(a, cleo), unread(a, dan)}; after[0] != before[0] || after[1] != before[1] {
		t.Fatalf("unread on A went from %v to %v", before, after)
	}
	if mentions(b, bob) != 1 || mentions(b, eve) != 1 {
		t.Fatalf("B: bob %d, eve %d mentions after an edit with no new mention", mentions(b, bob), mentions(b, eve))
	}
}

func mustActor(t *testing.T, inst *apptest.Instance, uri string) *models.Actor {
	t.Helper()
	a, err := inst.App.Store.ActorByURI(context.Background(), uri)
	if err != nil {
		t.Fatalf("%s on %s: %v", uri, inst.Host, err)
	}
	return a
}
