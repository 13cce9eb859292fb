package fetch

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
)

// actorJSONEd25519 is actorJSON with an Ed25519 Multikey in assertionMethod.
func actorJSONEd25519(t *testing.T, id, name, pem, keyID, controller string, pub ed25519.PublicKey) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(actorJSON(t, id, name, pem)), &m); err != nil {
		t.Fatal(err)
	}
	m["assertionMethod"] = []any{map[string]any{"id": keyID, "type": "Multikey", "controller": controller,
		"publicKeyMultibase": models.EncodeMultikey(pub)}}
	b, _ := json.Marshal(m)
	return string(b)
}

func newEd25519(t *testing.T) ed25519.PublicKey {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// TestFetchKeyEd25519: a keyId naming an actor's Ed25519 Multikey resolves to
// that Ed25519 key, owned by the actor; the RSA key id still gives the RSA
// key; rotation heals on refresh; a Multikey the actor does not control, or
// off its host, is not a key of that actor.
func TestFetchKeyEd25519(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	id := p.URL + "/users/kim"
	edID := id + "#ed25519-key"
	pem := newPEM(t)
	pub1, pub2 := newEd25519(t), newEd25519(t)
	p.json("/users/kim", actorJSONEd25519(t, id, "kim", pem, edID, id, pub1))

	k, err := e.f.FetchKey(ctx, edID, false)
	if err != nil || k.Owner != id || k.ID != edID || !k.Ed25519.Equal(pub1) || k.Public != nil {
		t.Fatalf("FetchKey(ed25519) = %+v, %v", k, err)
	}
	rk, err := e.f.FetchKey(ctx, id+"#main-key", false)
	if err != nil || rk.Public == nil || rk.Ed25519 != nil || p.count("/users/kim") != 1 {
		t.Fatalf("FetchKey(rsa) = %+v, %v, hits %d", rk, err, p.count("/users/kim"))
	}
	// From the actors table once the in-memory cache is gone.
	e.f.keyCache = keyCache{}
	if k, err := e.f.FetchKey(ctx, edID, false); err != nil || !k.Ed25519.Equal(pub1) || p.count("/users/kim") != 1 {
		t.Fatalf("stored: %+v, %v, hits %d", k, err, p.count("/users/kim"))
	}
	// Rotation.
	p.json("/users/kim", actorJSONEd25519(t, id, "kim", pem, edID, id, pub2))
	if k, err := e.f.FetchKey(ctx, edID, true); err != nil || !k.Ed25519.Equal(pub2) || p.count("/users/kim") != 2 {
		t.Fatalf("rotated: %+v, %v, hits %d", k, err, p.count("/users/kim"))
	}

	for _, tc := range []struct {
		name, keyID, controller string
	}{
		{"controlled by another actor", "/users/lee#ed25519-key", "/users/eve"},
		{"key id off the actor's host", "http://elsewhere.test/keys/lee", "/users/lee"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.f.Now = func() time.Time { return time.Now().Add(time.Hour) } // past the refresh interval
			lee := p.URL + "/users/lee"
			keyID := tc.keyID
			if keyID[0] == '/' {
				keyID = p.URL + keyID
			}
			p.json("/users/lee", actorJSONEd25519(t, lee, "lee", newPEM(t), keyID, p.URL+tc.controller, newEd25519(t)))
			if _, err := e.f.FetchKey(ctx, lee+"#ed25519-key", true); !errors.Is(err, ErrKeyNotFound) {
				t.Fatalf("FetchKey = %v, want ErrKeyNotFound", err)
			}
			if a, err := e.st.ActorByURI(ctx, lee); err != nil || a.Ed25519KeyID != "" {
				t.Fatalf("stored %+v, %v: the Multikey must not be kept", a, err)
			}
		})
	}
}

// TestLocalEd25519Key: our own actors' Ed25519 keys resolve from the store.
func TestLocalEd25519Key(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inst := instanceActor(t, e)
	if inst.Ed25519KeyID == "" {
		t.Fatal("instance actor has no Ed25519 key")
	}
	k, err := e.f.FetchKey(ctx, inst.Ed25519KeyID, true)
	if err != nil || k.Owner != inst.URI || k.Ed25519 == nil {
		t.Fatalf("FetchKey = %+v, %v", k, err)
	}
}
