package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/commonsd/commonsd/models"
)

// SetContributors replaces a contribution's confirmed and pending contributor
// lists only if its state and pending list (JSON) are still state and
// oldPending, and adds entries to the ledger in the same transaction: entries
// are computed from the state read, so a decision made meanwhile must make the
// caller read again. It reports whether this call made
// the change.
func (s *Store) SetContributors(ctx context.Context, id, state, oldPending string, contributors []string, pending string, entries []models.LedgerEntry) (bool, error) {
	// A map update bypasses the model's JSON serializer: write the list as it does.
	list, err := json.Marshal(contributors)
	if err != nil {
		return false, err
	}
	changed := false
	err = s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Contribution{}).Where("id = ? AND state = ? AND pending_contributors = ?", id, state, oldPending).
			Updates(map[string]any{"contributors": string(list), "pending_contributors": pending, "updated_at": time.Now().UTC()})
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
