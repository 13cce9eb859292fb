package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// SetContributors replaces a contribution's confirmed and pending contributor
// lists (JSON) only if its pending list is still oldPending, and adds entries
// to the ledger in the same transaction. It reports whether this call made
// the change.
func (s *Store) SetContributors(ctx context.Context, id, oldPending, contributors, pending string, entries []models.LedgerEntry) (bool, error) {
	changed := false
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Contribution{}).Where("id = ? AND pending_contributors = ?", id, oldPending).
			Updates(map[string]any{"contributors": contributors, "pending_contributors": pending, "updated_at": time.Now().UTC()})
		if err := translate(res.Error); err != nil {
			return err
		}
		if res.RowsAffected != 1 {
			return nil
		}
		changed = true
		return tx.AddLedgerEntries(ctx, entries)
	})
	return changed, err
}
