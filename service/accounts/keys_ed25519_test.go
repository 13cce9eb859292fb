package accounts_test

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestEd25519KeySealedAtRest: a new account's actor has an Ed25519 key whose
// private half is sealed (only the instance secret opens it) and whose public
// half is the Multikey it publishes.
func TestEd25519KeySealedAtRest(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := servicetest.New(t, st)
	ctx := context.Background()
	u, err := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	act, _ := s.Accounts.ActorOf(ctx, u)
	if act.Ed25519KeyID != act.URI+"#ed25519-key" || len(act.Ed25519PrivateKey) < 48 {
		t.Fatalf("Ed25519 key id %q, sealed %d bytes", act.Ed25519KeyID, len(act.Ed25519PrivateKey))
	}
	priv, err := s.Actors.Ed25519PrivateKey(act)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := models.DecodeMultikey(act.Ed25519PublicKey)
	if err != nil || !pub.Equal(priv.Public().(ed25519.PublicKey)) {
		t.Fatalf("published %q does not match the private key: %v", act.Ed25519PublicKey, err)
	}
	other, _ := service.LoadKeys("another secret that is long enough!!", t.TempDir())
	if _, err := other.PrivateEd25519(act.Ed25519PrivateKey); err == nil {
		t.Fatal("opened with the wrong secret")
	}
	if _, err := s.Actors.PrivateKey(&models.Actor{PrivateKey: act.Ed25519PrivateKey}); err == nil {
		t.Fatal("an Ed25519 key opened as RSA")
	}
}

// TestEnsureEd25519Keys: actors made before migration 0015 get a key at start,
// once; remote actors are left alone.
func TestEnsureEd25519Keys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := servicetest.New(t, st)
		ctx := context.Background()
		var old []*models.Actor
		for _, name := range []string{"old1", "old2", "old3"} {
			a, err := s.Actors.CreateLocal(ctx, models.ActorPerson, name, name)
			if err != nil {
				t.Fatal(err)
			}
			// As before 0015: no Ed25519 columns set.
			if err := st.DB.Exec("UPDATE actors SET ed25519_key_id = NULL, ed25519_public_key = NULL, ed25519_private_key = NULL WHERE id = ?", a.ID).Error; err != nil {
				t.Fatal(err)
			}
			old = append(old, a)
		}
		remote := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "rem", UsernameLower: "rem",
			Domain: "remote.example", URI: "https://remote.example/users/rem"}
		if err := st.CreateActor(ctx, remote); err != nil {
			t.Fatal(err)
		}
		n, err := s.Actors.EnsureEd25519Keys(ctx)
		if err != nil || n < 3 {
			t.Fatalf("EnsureEd25519Keys = %d, %v; want at least the 3 old actors", n, err)
		}
		for _, a := range old {
			got, err := st.ActorByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			priv, err := s.Actors.Ed25519PrivateKey(got)
			if err != nil || got.Ed25519KeyID != got.URI+"#ed25519-key" {
				t.Fatalf("%s: key id %q, %v", got.Username, got.Ed25519KeyID, err)
			}
			if pub, err := models.DecodeMultikey(got.Ed25519PublicKey); err != nil || !pub.Equal(priv.Public().(ed25519.PublicKey)) {
				t.Fatalf("%s: public key %q does not match: %v", got.Username, got.Ed25519PublicKey, err)
			}
		}
		if n, err := s.Actors.EnsureEd25519Keys(ctx); err != nil || n != 0 {
			t.Fatalf("second run = %d, %v; want 0", n, err)
		}
		if r, _ := st.ActorByID(ctx, remote.ID); r.Ed25519KeyID != "" || len(r.Ed25519PrivateKey) != 0 {
			t.Fatalf("remote actor got a key: %+v", r)
		}
	})
}
