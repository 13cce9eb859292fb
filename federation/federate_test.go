package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func actorOf(t *testing.T, inst *apptest.Instance, name string) *models.Actor {
	t.Helper()
	ctx := context.Background()
	u, err := inst.App.Svc.Accounts.ByUsername(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := inst.App.Svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestTwoInstancesFollowAndPost(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ctx := context.Background()
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")

	f, target, err := a.App.Svc.Social.FollowByHandle(ctx, ada, b.Handle("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if target.URI != b.ActorURL("bob") {
		t.Fatalf("resolved %s", target.URI)
	}
	eventually(t, "Accept from B", func() bool {
		got, err := a.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	n, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "Hello **fediverse** #commons @ada@" + a.Host})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "note in A's timeline", func() bool {
		tl, err := a.App.Svc.Social.Timeline(ctx, ada, "", 10)
		return err == nil && len(tl) == 1 && tl[0].Note.URI == n.URI && strings.Contains(tl[0].Note.Content, "<strong>fediverse</strong>")
	})
	if err := b.App.Svc.Social.DeleteNote(ctx, bob, n.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "delete reaches A", func() bool {
		got, err := a.App.Store.NoteByURI(ctx, n.URI)
		return err == nil && got.DeletedAt != nil
	})
	if err := a.App.Svc.Social.UnfollowByID(ctx, ada, f.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "undo reaches B", func() bool {
		n, _ := b.App.Store.CountFollowers(ctx, bob.ID)
		return n == 0
	})
}
