package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// TransitionMembership moves membership id from state from to state to (and
// logs log, if any) only if it is still in from: two deliveries of the same
// confirmation, or a confirmation racing a maintainer's decision, change it
// once. It reports whether this call made the change.
func (s *Store) TransitionMembership(ctx context.Context, id, from, to string, log *models.RoleChange) (bool, error) {
	defer s.actorsGen.Add(1) // the Group's document shows its member count
	changed := false
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Membership{}).Where("id = ? AND state = ?", id, from).
			Updates(map[string]any{"state": to, "updated_at": time.Now().UTC()})
		if err := translate(res.Error); err != nil {
			return err
		}
		if res.RowsAffected != 1 {
			return nil
		}
		changed = true
		if log != nil {
			return translate(tx.with(ctx).Create(log).Error)
		}
		return nil
	})
	return changed, err
}

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
