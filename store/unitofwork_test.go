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

// A unit of work takes a savepoint only when a nested Tx could need one: a
// Tx opened while nothing was written since the innermost savepoint shares
// it, and its failure still rolls back its own writes only (the writes
// before the savepoint, and those after the failure, stay). The followers,
// blocks and absent notes it read once are read again after a write to them
// or a rollback.
func TestUnitOfWorkSavepointsAndReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		actor := func(name, domain string) *models.Actor {
			a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: name, UsernameLower: name,
				Domain: domain, URI: "https://" + domain + "x.example/users/" + name, Name: name, CreatedAt: now, UpdatedAt: now}
			if err := s.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		ada, kim, lea := actor("ada", ""), actor("kim", "peer.example"), actor("lea", "peer.example")
		follow := func(from *models.Actor) *models.Follow {
			return &models.Follow{ID: models.NewID(), URI: "https://x.example/follows/" + models.NewID(), FollowerID: from.ID,
				TargetID: kim.ID, State: models.FollowAccepted}
		}
		errBoom := errors.New("boom")
		followers := func(uctx context.Context, want int) {
			t.Helper()
			if ids, err := s.LocalFollowerIDs(uctx, kim.ID); err != nil || len(ids) != want {
				t.Errorf("kim's local followers: %v %v, want %d", ids, err, want)
			}
		}
		err := s.Tx(ctx, func(tx *store.Store) error {
			uctx := store.WithUnitOfWork(ctx, tx)
			followers(uctx, 0)
			// An activity's savepoint, then nested Tx with nothing written
			// before them (they share it) failing after a write.
			if err := tx.Tx(uctx, func(*store.Store) error {
				if err := s.Tx(uctx, func(inner *store.Store) error {
					return inner.Tx(uctx, func(in2 *store.Store) error {
						if err := in2.CreateFollow(uctx, follow(ada)); err != nil {
							return err
						}
						followers(uctx, 1)
						return errBoom
					})
				}); !errors.Is(err, errBoom) {
					t.Errorf("nested Tx: %v", err)
				}
				followers(uctx, 0)
				// The activity goes on and writes: that stays.
				if err := s.CreateFollow(uctx, follow(ada)); err != nil {
					return err
				}
				followers(uctx, 1)
				// A nested Tx after a write has its own savepoint: its
				// failure keeps the write before it.
				if err := s.Tx(uctx, func(inner *store.Store) error {
					if err := inner.PutBlock(uctx, &models.Block{ID: models.NewID(), URI: "https://x.example/blocks/1",
						ActorID: ada.ID, TargetID: lea.ID, CreatedAt: now}); err != nil {
						return err
					}
					if b, err := s.IsBlocked(uctx, ada.ID, lea.ID); err != nil || !b {
						t.Errorf("the block written in the unit of work: %v %v", b, err)
					}
					return errBoom
				}); !errors.Is(err, errBoom) {
					t.Errorf("nested Tx: %v", err)
				}
				if b, err := s.IsBlocked(uctx, ada.ID, lea.ID); err != nil || b {
					t.Errorf("the rolled-back block: %v %v", b, err)
				}
				followers(uctx, 1)
				// Notes read as absent once are not read again, until one
				// is stored.
				uri := "https://x.example/notes/" + models.NewID()
				if err := s.KnowNotes(uctx, []string{uri}); err != nil {
					return err
				}
				if _, err := s.NoteByURI(uctx, uri); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("a note known absent: %v", err)
				}
				n := &models.Note{ID: models.NewID(), URI: uri, Type: "Note", AuthorID: kim.ID, Visibility: models.VisibilityPublic,
					Published: now}
				if err := s.CreateNote(uctx, n, nil); err != nil {
					return err
				}
				if got, err := s.NoteByURI(uctx, uri); err != nil || got.ID != n.ID {
					t.Errorf("the note stored in the unit of work: %v %v", got, err)
				}
				return nil
			}); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		followers(ctx, 1)
		if b, err := s.IsBlocked(ctx, ada.ID, lea.ID); err != nil || b {
			t.Errorf("after the commit, the rolled-back block: %v %v", b, err)
		}
	})
}

// What the unit of work counts as a read (it may share a savepoint across
// it) and as a write.
func TestUnitOfWorkReadOnly(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT * FROM notes WHERE uri = ?":                    true,
		"  (select id from notes)":                             true,
		"SELECT * FROM proposals WHERE id = ? FOR UPDATE":      false,
		"select * from proposals where id = $1 for key share":  false,
		"SAVEPOINT uow1":                                       true,
		"ROLLBACK TO SAVEPOINT uow1":                           true,
		"INSERT INTO notes (id) VALUES (?)":                    false,
		"UPDATE activities SET state = ?":                      false,
		"WITH x AS (DELETE FROM blocks RETURNING id) SELECT 1": false,
		"": false,
	} {
		if got := store.ReadOnlyStatement(q); got != want {
			t.Errorf("%q: read-only %v, want %v", q, got, want)
		}
	}
}
