package federation_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestAccountDeletionFederates: ada (A) deletes her account; bob's server (B),
// which follows her and holds her post, gets Delete{Person} and drops her
// post, the follow and her profile; her actor URL answers 410 with a
// Tombstone and WebFinger 410.
func TestAccountDeletionFederates(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ctx := context.Background()
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")
	f, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle("ada"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "Accept from A", func() bool {
		got, err := b.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	n, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "goodbye soon", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "note reaches B", func() bool {
		got, err := b.App.Store.NoteByURI(ctx, n.URI)
		return err == nil && got.DeletedAt == nil
	})
	u, _ := a.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err := a.App.Svc.UserData.Delete(ctx, u, "a long password"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Delete{Person} processed on B", func() bool {
		got, err := b.App.Store.NoteByURI(ctx, n.URI)
		if err != nil || got.DeletedAt == nil {
			return false
		}
		remote, err := b.App.Store.ActorByURI(ctx, ada.URI)
		nf, _ := b.App.Store.CountFollowing(ctx, bob.ID)
		return err == nil && remote.Suspended && nf == 0
	})

	req, _ := http.NewRequest("GET", a.ActorURL("ada"), nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc struct{ ID, Type, FormerType string }
	json.Unmarshal(body, &doc)
	if resp.StatusCode != http.StatusGone || doc.Type != "Tombstone" || doc.ID != ada.URI || doc.FormerType != "Person" {
		t.Fatalf("actor: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(a.URL + "/.well-known/webfinger?resource=acct:ada@" + a.Host)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("webfinger: %d", resp.StatusCode)
	}
}
