package accounts

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// UpsertRemote stores a remote actor as the federation edge fetched and
// converted it (doc: the document's fields; its ID, CreatedAt and Suspended are
// ignored) and returns the stored row. The fetcher has already checked the
// document and its origin; the rules of storing it are here:
//
//   - A refresh keeps the row's ID, CreatedAt, Suspended and the fields no
//     document carries (stored media ids, HideFollowers).
//   - A local actor is never overwritten: its row is returned unchanged.
//   - The handle is unique per domain: when another row of the same domain holds
//     the username (the server reassigned it), the newest document wins and the
//     old row is renamed "<name>~<its row id>" and marked stale (FetchedAt unset),
//     so it is fetched again before use. Only the domain itself can cause that,
//     never another host: the lookup is by doc.Domain.
//   - A concurrent insert of the same actor (another fetch, another process)
//     makes this an update of that row.
func (a *Actors) UpsertRemote(ctx context.Context, doc *models.Actor) (*models.Actor, error) {
	if doc == nil || doc.Domain == "" || doc.URI == "" || doc.Username == "" {
		return nil, errs.Internal(errors.New("upsert of a remote actor without domain, id or username"))
	}
	var saved *models.Actor
	err := a.d.Store.Tx(ctx, func(tx *store.Store) error {
		row, err := tx.ActorByURI(ctx, doc.URI)
		switch {
		case errors.Is(err, store.ErrNotFound):
			row = nil
		case err != nil:
			return err
		case row.Local():
			saved = row
			return nil
		}
		act := fromDocument(row, doc)
		if other, err := tx.ActorByHandle(ctx, act.Username, act.Domain); err == nil && other.ID != act.ID {
			other.Username = truncateRunes(other.Username, 200) + "~" + other.ID
			other.FetchedAt = nil
			if err := tx.UpdateActor(ctx, other); err != nil {
				return err
			}
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if row == nil {
			err = tx.CreateActor(ctx, act)
		} else {
			err = tx.UpdateActor(ctx, act)
		}
		saved = act
		return err
	})
	if errors.Is(err, store.ErrExists) {
		// Inserted concurrently: update that row.
		row, err := a.d.Store.ActorByURI(ctx, doc.URI)
		if err != nil {
			return nil, err
		}
		if row.Local() {
			return row, nil
		}
		act := fromDocument(row, doc)
		if err := a.d.Store.UpdateActor(ctx, act); err != nil {
			return nil, err
		}
		return act, nil
	}
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// fromDocument is doc on top of row (nil: a new actor), keeping what belongs to
// the row rather than to the document.
func fromDocument(row, doc *models.Actor) *models.Actor {
	act := *doc
	if row == nil {
		act.ID, act.CreatedAt, act.UpdatedAt, act.Suspended, act.PrivateKey = models.NewID(), time.Time{}, time.Time{}, false, nil
		return &act
	}
	act.ID, act.CreatedAt, act.UpdatedAt, act.Suspended = row.ID, row.CreatedAt, row.UpdatedAt, row.Suspended
	act.IconMediaID, act.ImageMediaID, act.HideFollowers, act.PrivateKey = row.IconMediaID, row.ImageMediaID, row.HideFollowers, row.PrivateKey
	return &act
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
