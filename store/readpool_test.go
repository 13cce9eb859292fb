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

// Reads outside a transaction do not wait for the writer: while a write
// transaction holds SQLite's one writer connection, an actor lookup (what an
// actor GET, a WebFinger or the inbox does) is answered from the read pool, and
// it sees what was committed before, not what the open transaction wrote.
// Without the read pool the lookup would wait for the transaction that waits
// for it; the context's deadline only turns that hang into a failure.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		committed := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "kim", UsernameLower: "kim",
			Domain: "peer.example", URI: "https://peer.example/users/kim", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateActor(ctx, committed); err != nil {
			t.Fatal(err)
		}
		err := s.Tx(ctx, func(tx *store.Store) error {
			open := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "lee", UsernameLower: "lee",
				Domain: "peer.example", URI: "https://peer.example/users/lee", CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateActor(ctx, open); err != nil {
				return err
			}
			rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			got, err := s.ActorByURI(rctx, committed.URI)
			if err != nil || got.ID != committed.ID {
				t.Errorf("read during an open write transaction: %+v, %v", got, err)
			}
			if _, err := s.ActorByURI(rctx, open.URI); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a row of the open transaction is visible outside it: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ActorByURI(ctx, "https://peer.example/users/lee"); err != nil {
			t.Errorf("after commit: %v", err)
		}
	})
}
