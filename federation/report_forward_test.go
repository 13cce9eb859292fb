package federation_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestReportForwardedAsFlag: ada (on A) reports bob (on B) and his note, ticking
// "forward": B receives it as a report for its moderators, from A's instance
// actor (never ada), naming bob and his note, with ada's comment; B's admin is
// notified. Without forward, or for a local account, nothing leaves A.
func TestReportForwardedAsFlag(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "ada")
	if _, err := b.App.Svc.Accounts.Create(ctx, service.Registration{Username: "boss", Email: "boss@example.org",
		Password: "a long password", Role: models.RoleAdmin}); err != nil { // B's admin, who is told of reports
		t.Fatal(err)
	}
	newUser(t, b, "bob")
	newUser(t, a, "cleo")
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")
	if _, _, err := a.App.Svc.Social.FollowByHandle(ctx, ada, b.Handle("bob")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ada follows bob", func() bool {
		onB, err := b.App.Store.ActorByURI(ctx, ada.URI)
		if err != nil {
			return false
		}
		f, err := b.App.Store.FollowByPair(ctx, onB.ID, bob.ID)
		return err == nil && f.State == models.FollowAccepted
	})
	note, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "Buy cheap seeds at spam.example", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	var onA *models.Note
	eventually(t, "bob's note reaches A", func() bool {
		onA, err = a.App.Store.NoteByURI(ctx, note.URI)
		return err == nil
	})
	adaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "ada")
	reportsOnB := func() []models.Report {
		var out []models.Report
		b.App.Store.DB.Order("created_at").Find(&out)
		return out
	}

	// Not forwarded: A keeps it.
	if _, err := a.App.Svc.Moderation.File(ctx, adaUser, service.ReportInput{NoteIDs: []string{onA.ID}, Comment: "kept here"}); err != nil {
		t.Fatal(err)
	}
	// Forwarded.
	r, err := a.App.Svc.Moderation.File(ctx, adaUser, service.ReportInput{NoteIDs: []string{onA.ID}, Comment: "Spam, again", Forward: true})
	if err != nil {
		t.Fatal(err)
	}
	var got models.Report
	eventually(t, "the Flag arrives on B as a report", func() bool {
		list := reportsOnB()
		if len(list) == 0 {
			return false
		}
		got = list[0]
		return true
	})
	instanceOnB, err := b.App.Store.ActorByID(ctx, got.ReporterID)
	if err != nil {
		t.Fatal(err)
	}
	instanceA, err := a.App.Svc.Actors.Instance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if instanceOnB.URI != instanceA.URI {
		t.Fatalf("B's report is from %s (%s), want A's instance actor", instanceOnB.URI, instanceOnB.Type)
	}
	if got.TargetActorID != bob.ID || got.Content != "Spam, again" || got.URI != r.URI ||
		!slices.Equal(got.ObjectURIs, []string{bob.URI, note.URI}) {
		t.Fatalf("B's report: %+v", got)
	}
	// The Flag as sent names neither ada nor her server's users.
	act, err := a.App.Store.ActivityByURI(ctx, r.URI)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(act.Raw, ada.URI) || strings.Contains(act.Raw, "/users/ada") {
		t.Fatalf("the Flag names the reporter: %s", act.Raw)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(act.Raw), &doc); err != nil || doc["type"] != "Flag" {
		t.Fatalf("sent: %s (%v)", act.Raw, err)
	}
	if objs, ok := doc["object"].([]any); !ok || len(objs) != 2 || objs[0] != bob.URI || objs[1] != note.URI {
		t.Fatalf("the Flag's object: %#v", doc["object"])
	}
	boss := actorOf(t, b, "boss")
	eventually(t, "B's admin is notified", func() bool {
		n, err := b.App.Svc.Notifications.UnreadCount(ctx, boss)
		return err == nil && n == 1
	})

	// A local account is never forwarded (there is nowhere to send it).
	cleo := actorOf(t, a, "cleo")
	if _, err := a.App.Svc.Moderation.File(ctx, adaUser, service.ReportInput{AccountID: cleo.ID, Comment: "local", Forward: true}); err != nil {
		t.Fatal(err)
	}
	var flags int64
	a.App.Store.DB.Model(&models.Activity{}).Where("type = ? AND local = ?", "Flag", true).Count(&flags)
	if flags != 1 {
		t.Fatalf("%d Flags sent by A, want 1", flags)
	}
	if n := len(reportsOnB()); n != 1 {
		t.Fatalf("%d reports on B, want 1", n)
	}
}
