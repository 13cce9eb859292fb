package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/service"
)

// TestFedifyEd25519: the Fedify peer lists an Ed25519 Multikey (FEP-521a) and
// signs a Follow to ada with RFC 9421 + that key: we verify it with the
// Multikey from its actor document and take the Follow. We sign to it with
// RSA (draft-cavage): it advertises no FEP-844e capability, and Fedify 2.3
// verifies HTTP signatures with publicKey keys only — nothing it receives from
// us is refused.
func TestFedifyEd25519(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")

	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow",
		"id": peer.ActorURL() + "#follows/ed25519", "actor": peer.ActorURL(), "object": ada.URI}
	res, err := peer.SignedPostEd25519(ada.InboxURI, follow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusAccepted {
		t.Fatalf("our inbox answered the Ed25519-signed Follow %d: %s", res.Status, res.Body)
	}
	eventually(t, "the Follow signed with Ed25519 processed", func() bool {
		n, err := inst.App.Store.CountFollowers(ctx, ada.ID)
		return err == nil && n == 1
	})
	if c := inst.App.Fed.SignatureCounts(); c.InboxEd25519 != 1 {
		t.Errorf("inbox signatures %+v; want the one Ed25519", c)
	}
	remote, err := inst.App.Store.ActorByURI(ctx, peer.ActorURL())
	if err != nil || remote.Ed25519KeyID != res.KeyID || remote.AcceptsEd25519 {
		t.Fatalf("stored peer: key %q (signed with %q), accepts Ed25519 %v, %v", remote.Ed25519KeyID, res.KeyID, remote.AcceptsEd25519, err)
	}
	// An activity of another actor, signed with the peer's Ed25519 key, is refused.
	if res, err := peer.SignedPostEd25519(ada.InboxURI, fmt.Sprintf(`{"type":"Follow","id":%q,"actor":%q,"object":%q}`,
		peer.ActorURL()+"#follows/x", "https://evil.example/users/mallory", ada.URI)); err != nil || res.Status != http.StatusUnauthorized {
		t.Errorf("an Ed25519-signed activity of another actor: %+v, %v; want 401", res, err)
	}

	// ada's Accept and her note reach Fedify, signed with RSA.
	peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Accept" && a.Actor == ada.URI }, 15*time.Second)
	n, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "to Fedify"})
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Object == n.URI }, 15*time.Second)
	checkSignatures(t, peer, 0)
	if c := inst.App.Fed.SignatureCounts(); c.SentEd25519 != 0 || c.SentRSA < 2 || c.Ed25519Refused != 0 {
		t.Errorf("sent %+v; want RSA only", c)
	}
}

// TestFedifyClaimsEd25519: a peer that claims (FEP-844e) to verify Ed25519
// RFC 9421 signatures but does not (Fedify with FEDPEER_FEP844E=1) gets our
// first POST signed with Ed25519, refuses it, and gets it again signed with RSA
// at once; every later POST to it is RSA.
func TestFedifyClaimsEd25519(t *testing.T) {
	peer := fedpeer.Start(t, "FEDPEER_FEP844E=1")
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")

	// Fedify follows ada: her Accept is our first POST to it.
	followID, err := peer.Follow(ada.URI)
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Accept" && a.Actor == ada.URI && a.Object == followID
	}, 15*time.Second)
	if remote, err := inst.App.Store.ActorByURI(ctx, peer.ActorURL()); err != nil || !remote.AcceptsEd25519 {
		t.Fatalf("the peer's claim was not read: %+v, %v", remote, err)
	}
	if _, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "after the refusal"}); err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Actor == ada.URI }, 15*time.Second)
	apptest.WaitIdle(t, inst)
	checkSignatures(t, peer, 1)
	if c := inst.App.Fed.SignatureCounts(); c.SentEd25519 != 1 || c.Ed25519Refused != 1 || c.SentRSA < 2 {
		t.Errorf("sent %+v; want one Ed25519 POST (refused), then RSA", c)
	}
}

// checkSignatures: of the POSTs the peer received, exactly wantEd25519 were
// signed with Ed25519 (RFC 9421), the first ones, each answered 401 and then
// received again with an accepted RSA signature; all others are draft-cavage
// and accepted.
func checkSignatures(t *testing.T, peer *fedpeer.Peer, wantEd25519 int) {
	t.Helper()
	reqs, err := peer.Requests()
	if err != nil {
		t.Fatal(err)
	}
	ed := 0
	for i, r := range reqs {
		if r.Method != http.MethodPost {
			continue
		}
		if strings.Contains(r.Headers["signature-input"], `alg="ed25519"`) {
			ed++
			if r.Status != http.StatusUnauthorized || i+1 >= len(reqs) || reqs[i+1].Body != r.Body || reqs[i+1].Status >= 400 ||
				!strings.Contains(reqs[i+1].Headers["signature"], `keyId="`) {
				t.Errorf("Ed25519 POST %s answered %d; want 401 and the same body again, RSA-signed and accepted", r.Path, r.Status)
			}
			continue
		}
		if !strings.Contains(r.Headers["signature"], "rsa-sha256") && !strings.Contains(r.Headers["signature"], "hs2019") {
			t.Errorf("POST %s signed %q, want draft-cavage", r.Path, r.Headers["signature"])
		}
		if r.Status >= 400 {
			t.Errorf("Fedify answered POST %s with %d: %s", r.Path, r.Status, r.Response)
		}
	}
	if ed != wantEd25519 {
		t.Errorf("%d Ed25519-signed POSTs, want %d", ed, wantEd25519)
	}
	rej, err := peer.Rejected()
	if err != nil || len(rej) != wantEd25519 {
		t.Errorf("Fedify rejected %d activities (%v), want %d", len(rej), err, wantEd25519)
	}
}
