package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// ActorByURI is answered from memory, but never with something this process
// changed: a change made directly, or in a transaction, is read back at once;
// what a caller does to the actor it got does not reach the next caller.
// Another process's change is seen once ActorCacheTTL has passed (with a TTL
// of zero: at once).
func TestActorCacheNeverHidesAChange(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) { testActorCache(t, driver) })
	}
}

func testActorCache(t *testing.T, driver string) {
	dsn := storetest.NewDatabase(t, driver)
	open := func() *store.Store {
		s, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s, other := open(), open()
	{
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "kim", UsernameLower: "kim",
			Domain: "peer.example", URI: "https://peer.example/users/kim", Name: "Kim", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		name := func() string {
			t.Helper()
			got, err := s.ActorByURI(ctx, a.URI)
			if err != nil {
				t.Fatal(err)
			}
			return got.Name
		}
		if n := name(); n != "Kim" {
			t.Fatalf("name %q", n)
		}
		got, _ := s.ActorByURI(ctx, a.URI)
		got.Name = "changed by a caller"
		if n := name(); n != "Kim" {
			t.Errorf("a caller's change reached the cache: %q", n)
		}
		a.Name = "Kim 2"
		if err := s.UpdateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		if n := name(); n != "Kim 2" {
			t.Errorf("after UpdateActor: %q", n)
		}
		err := s.Tx(ctx, func(tx *store.Store) error {
			a.Name = "Kim 3"
			if err := tx.UpdateActor(ctx, a); err != nil {
				return err
			}
			name() // fills the cache from the committed row while the transaction is open
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := name(); n != "Kim 3" {
			t.Errorf("after the transaction committed: %q", n)
		}
		// By handle (what a per-user inbox looks up), case-insensitively.
		byHandle := func() string {
			t.Helper()
			got, err := s.ActorByHandle(ctx, "KIM", "Peer.Example")
			if err != nil {
				t.Fatal(err)
			}
			return got.Name
		}
		if n := byHandle(); n != "Kim 3" {
			t.Errorf("by handle: %q", n)
		}
		a.Name, a.Suspended = "Kim 3b", true
		if err := s.UpdateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ActorByHandle(ctx, "kim", "peer.example"); got == nil || got.Name != "Kim 3b" || !got.Suspended {
			t.Errorf("by handle after a suspension: %+v", got)
		}
		a.Suspended = false

		// Another process of the same instance changes the actor.
		old := store.ActorCacheTTL
		store.ActorCacheTTL = 0
		t.Cleanup(func() { store.ActorCacheTTL = old })
		a.Name = "Kim 4"
		if err := other.UpdateActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		if n := name(); n != "Kim 4" {
			t.Errorf("another process's change with a TTL of 0: %q", n)
		}
	}
}
