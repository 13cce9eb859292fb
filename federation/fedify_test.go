package federation_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestFedifyPeer federates a commonsd instance with an independent
// implementation (Fedify): it follows our user and gets an Accept, receives our
// Create(Note) with a signature Fedify verified; our user follows it back, and its
// note (Object Integrity Proofs, unusual @context entries, maybe an RFC 9421
// retry) lands in our home timeline. FEDPEER_ED25519=0 in the environment runs
// the peer without its Ed25519 key (no integrity proofs).
func TestFedifyPeer(t *testing.T) {
	var env []string
	if v, ok := os.LookupEnv("FEDPEER_ED25519"); ok {
		env = append(env, "FEDPEER_ED25519="+v)
	}
	peer := fedpeer.Start(t, env...)
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")

	// Fedify follows ada and gets an Accept.
	followID, err := peer.Follow(inst.ActorURL("ada"))
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Accept" && a.Actor == inst.ActorURL("ada") && a.Object == followID
	}, 15*time.Second)
	if n, err := inst.App.Store.CountFollowers(ctx, ada.ID); err != nil || n != 1 {
		t.Fatalf("ada's followers = %d, %v; want 1", n, err)
	}

	// ada posts; Fedify receives the Create and verifies its signature.
	n, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "Hello from **commonsd**"})
	if err != nil {
		t.Fatal(err)
	}
	create := peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Create" && a.Object == n.URI
	}, 15*time.Second)
	if create.Actor != ada.URI {
		t.Errorf("Create actor = %s", create.Actor)
	}
	if create.FetchError != nil || create.FetchedObject == nil || create.FetchedObject.Type != "Note" ||
		create.FetchedObject.Content == nil || !strings.Contains(*create.FetchedObject.Content, "<strong>commonsd</strong>") {
		t.Errorf("Create's object as Fedify read it = %+v (error %v)", create.FetchedObject, create.FetchError)
	}

	// ada follows Fedify's actor (by URL: Fedify's WebFinger is https-only).
	f, target, err := inst.App.Svc.Social.FollowByHandle(ctx, ada, peer.ActorURL())
	if err != nil {
		t.Fatal(err)
	}
	if target.URI != peer.ActorURL() {
		t.Fatalf("resolved %s, want %s", target.URI, peer.ActorURL())
	}
	eventually(t, "Fedify's Accept of ada's follow", func() bool {
		got, err := inst.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})

	noteID, err := peer.Post("<p>hello from <em>Fedify</em></p>", fedpeer.Public)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "Fedify's note in ada's home timeline", func() bool {
		tl, err := inst.App.Svc.Social.Timeline(ctx, ada, "", 10)
		if err != nil {
			return false
		}
		for _, e := range tl {
			if e.Note.URI == noteID && strings.Contains(e.Note.Content, "<em>Fedify</em>") && e.Author != nil && e.Author.URI == peer.ActorURL() {
				return true
			}
		}
		return false
	})

	// Nothing we sent was refused by Fedify, and nothing it sent was refused by us.
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
	for _, a := range failedInbound(inst) {
		t.Errorf("inbound %s %s failed: %s", a.Type, a.URI, a.Error)
	}
	// Every POST Fedify made to us was accepted at once: no refusal made it fall
	// back to its RFC 9421 retry.
	for status, n := range inboxStatuses(t, inst) {
		if status != "202" {
			t.Errorf("our inbox answered Fedify %s %d times", status, n)
		}
	}
}
