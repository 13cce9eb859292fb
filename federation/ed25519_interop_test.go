package federation_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestTwoInstancesSignWithEd25519: two commonsd instances see each other's
// Ed25519 Multikey and sign every delivery with RFC 9421 Ed25519, both ways,
// and each verifies the other's (no RSA delivery, no refusal).
func TestTwoInstancesSignWithEd25519(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ctx := context.Background()
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")

	f, _, err := a.App.Svc.Social.FollowByHandle(ctx, ada, b.Handle("bob"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "Accept from B", func() bool {
		got, err := a.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	n, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "signed with Ed25519"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "note at A", func() bool {
		_, err := a.App.Store.NoteByURI(ctx, n.URI)
		return err == nil
	})
	apptest.WaitIdle(t, a, b)
	// Each side stored the other's Multikey from its actor document.
	if r, err := a.App.Store.ActorByURI(ctx, bob.URI); err != nil || r.Ed25519KeyID != bob.Ed25519KeyID || r.Ed25519PublicKey != bob.Ed25519PublicKey {
		t.Fatalf("A's copy of bob: %+v, %v", r, err)
	}
	if r, err := b.App.Store.ActorByURI(ctx, ada.URI); err != nil || r.Ed25519KeyID != ada.Ed25519KeyID {
		t.Fatalf("B's copy of ada: %+v, %v", r, err)
	}
	for _, side := range []struct {
		name       string
		sent, recv *apptest.Instance
	}{{"A to B", a, b}, {"B to A", b, a}} {
		out, in := side.sent.App.Fed.SignatureCounts(), side.recv.App.Fed.SignatureCounts()
		if out.SentEd25519 == 0 || out.SentRSA != 0 || out.Ed25519Refused != 0 {
			t.Errorf("%s: sent %+v; want Ed25519 only", side.name, out)
		}
		if in.InboxEd25519 < out.SentEd25519 || in.InboxRSA != 0 {
			t.Errorf("%s: received %+v for %d sent; want every one verified with Ed25519", side.name, in, out.SentEd25519)
		}
	}
}

// TestInboxEd25519Hostile: POSTs to a commonsd inbox signed with a real
// instance's real Ed25519 key, tampered in the ways an attacker can.
func TestInboxEd25519Hostile(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, a, "cleo")
	newUser(t, b, "bob")

	ada, cleo, bob := actorOf(t, a, "ada"), actorOf(t, a, "cleo"), actorOf(t, b, "bob")
	adaKey, err := a.App.Svc.Actors.Ed25519PrivateKey(ada)
	if err != nil {
		t.Fatal(err)
	}
	adaRSA, err := a.App.Svc.Actors.PrivateKey(ada)
	if err != nil {
		t.Fatal(err)
	}
	inbox := bob.InboxURI
	follow := func(actor, id string) []byte {
		return fmt.Appendf(nil, `{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Follow","actor":%q,"object":%q}`,
			actor+"#follows/"+id, actor, bob.URI)
	}
	type req struct {
		body []byte
		h    http.Header
	}
	sign := func(t *testing.T, keyID string, key ed25519.PrivateKey, body []byte, now time.Time) req {
		r, _ := http.NewRequest(http.MethodPost, inbox, nil)
		r.Header.Set("Content-Type", "application/activity+json")
		if err := signing.SignRequestEd25519(r, keyID, key, body, now); err != nil {
			t.Fatal(err)
		}
		return req{body, r.Header}
	}
	_, stranger, _ := ed25519.GenerateKey(nil)
	now := time.Now()
	for _, tc := range []struct {
		name string
		make func(t *testing.T) req
		want int
	}{
		{"valid", func(t *testing.T) req { return sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "1"), now) }, http.StatusAccepted},
		{"key of another actor", func(t *testing.T) req {
			return sign(t, ada.Ed25519KeyID, adaKey, follow(cleo.URI, "2"), now)
		}, http.StatusUnauthorized},
		{"signed by a stranger under ada's key id", func(t *testing.T) req {
			return sign(t, ada.Ed25519KeyID, stranger, follow(ada.URI, "3"), now)
		}, http.StatusUnauthorized},
		{"tampered body", func(t *testing.T) req {
			r := sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "4"), now)
			r.body = follow(ada.URI, "5")
			return r
		}, http.StatusUnauthorized},
		{"tampered body and digest", func(t *testing.T) req {
			r := sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "6"), now)
			r.body = follow(ada.URI, "7")
			r.h.Set("Content-Digest", strings.Replace(r.h.Get("Content-Digest"), r.h.Get("Content-Digest")[10:14], "AAAA", 1))
			return r
		}, http.StatusUnauthorized},
		{"rsa alg under the Ed25519 key id", func(t *testing.T) req {
			r := sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "8"), now)
			r.h.Set("Signature-Input", strings.Replace(r.h.Get("Signature-Input"), `alg="ed25519"`, `alg="rsa-v1_5-sha256"`, 1))
			return r
		}, http.StatusUnauthorized},
		{"ed25519 over the RSA key id", func(t *testing.T) req {
			return sign(t, ada.PublicKeyID, adaKey, follow(ada.URI, "9"), now)
		}, http.StatusUnauthorized},
		{"RSA signature under the Ed25519 key id", func(t *testing.T) req {
			r, _ := http.NewRequest(http.MethodPost, inbox, nil)
			body := follow(ada.URI, "10")
			if err := signing.SignRequestRFC9421(r, ada.Ed25519KeyID, adaRSA, body, now); err != nil {
				t.Fatal(err)
			}
			return req{body, r.Header}
		}, http.StatusUnauthorized},
		{"created 2 h ago (replay)", func(t *testing.T) req {
			return sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "11"), now.Add(-2*time.Hour))
		}, http.StatusUnauthorized},
		{"unknown component", func(t *testing.T) req {
			r := sign(t, ada.Ed25519KeyID, adaKey, follow(ada.URI, "12"), now)
			r.h.Set("Signature-Input", strings.Replace(r.h.Get("Signature-Input"), `"@authority"`, `"@authority" "@nonsense"`, 1))
			return r
		}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.make(t)
			hr, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(r.body))
			hr.Header = r.h
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, msg, tc.want)
			}
		})
	}
}
