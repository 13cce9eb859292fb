package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// A unit of work bound to a context makes every Store method called with that
// context run in its transaction, whichever Store it is called on: a write is
// seen by a read with the same context before the commit and by no one after a
// rollback; a Tx inside it that fails rolls back its own writes only (a
// SAVEPOINT); an actor changed inside it is read back changed, never from the
// actor cache, and the cache does not keep what a rolled-back unit read.
func TestUnitOfWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		actor := func(name string) *models.Actor {
			return &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: name, UsernameLower: name,
				Domain: "peer.example", URI: "https://peer.example/users/" + name, Name: name, CreatedAt: now, UpdatedAt: now}
		}
		kim := actor("kim")
		if err := s.CreateActor(ctx, kim); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ActorByURI(ctx, kim.URI); err != nil { // in the cache now
			t.Fatal(err)
		}
		kept, dropped, renamed := actor("kept"), actor("dropped"), actor("renamed")
		errBoom := errors.New("boom")
		err := s.Tx(ctx, func(tx *store.Store) error {
			uctx := store.WithUnitOfWork(ctx, tx)
			if store.UnitOfWork(uctx) != tx {
				t.Fatal("UnitOfWork does not return the bound transaction")
			}
			// Called on s, not on tx: it runs in the unit of work all the same.
			if err := s.CreateActor(uctx, kept); err != nil {
				return err
			}
			if _, err := s.ActorByURI(uctx, kept.URI); err != nil {
				t.Errorf("a write of the unit of work is not read back in it: %v", err)
			}
			if err := s.Tx(uctx, func(inner *store.Store) error {
				if err := inner.CreateActor(uctx, dropped); err != nil {
					return err
				}
				return errBoom
			}); !errors.Is(err, errBoom) {
				t.Errorf("nested Tx: %v", err)
			}
			if _, err := s.ActorByURI(uctx, dropped.URI); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the failed nested Tx's write survived: %v", err)
			}
			k := *kim
			k.Name = "Kim renamed"
			if err := s.UpdateActor(uctx, &k); err != nil {
				return err
			}
			if got, err := s.ActorByURI(uctx, kim.URI); err != nil || got.Name != "Kim renamed" {
				t.Errorf("a change of the unit of work read back as %+v, %v", got, err)
			}
			if err := s.CreateActor(uctx, renamed); err != nil {
				return err
			}
			return errBoom // roll everything back
		})
		if !errors.Is(err, errBoom) {
			t.Fatal(err)
		}
		for _, a := range []*models.Actor{kept, dropped, renamed} {
			if _, err := s.ActorByURI(ctx, a.URI); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s survived the rollback: %v", a.Username, err)
			}
		}
		if got, err := s.ActorByURI(ctx, kim.URI); err != nil || got.Name != "kim" {
			t.Errorf("after the rollback kim reads %+v, %v", got, err)
		}
		if got, err := s.ActorByIDCached(ctx, kim.ID); err != nil || got.Name != "kim" {
			t.Errorf("ActorByIDCached: %+v, %v", got, err)
		}
	})
}
