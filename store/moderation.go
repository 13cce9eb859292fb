package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// ReportByID loads a report.
func (s *Store) ReportByID(ctx context.Context, id string) (*models.Report, error) {
	return first[models.Report](s.with(ctx).Where("id = ?", id))
}

// ResolveReport records a moderator's resolution of an open report, by a
// conditional update: ErrConflict when it was resolved already, ErrNotFound
// when there is no such report.
func (s *Store) ResolveReport(ctx context.Context, id, byID, action, note string, at time.Time) error {
	res := s.with(ctx).Model(&models.Report{}).Where("id = ? AND resolved_at IS NULL", id).
		Updates(map[string]any{"resolved_at": at, "resolved_by_id": byID, "action": action, "resolution": note})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missingOrConflict(ctx, &models.Report{}, id)
	}
	return nil
}

// SetActorSuspended suspends (or lifts the suspension of) an actor.
func (s *Store) SetActorSuspended(ctx context.Context, id string, suspended bool) error {
	defer s.actorsChanged(ctx)
	res := s.with(ctx).Model(&models.Actor{}).Where("id = ?", id).Update("suspended", suspended)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// RemovePendingUser deletes a sign-up that is still waiting for approval, with
// its actor: ErrConflict when it was approved meanwhile.
func (s *Store) RemovePendingUser(ctx context.Context, u *models.User) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.RemoveIf(ctx, &models.User{}, u.ID, Guard{"approved": false}); err != nil {
			return err
		}
		defer tx.actorsChanged(ctx)
		return translate(tx.with(ctx).Where("id = ? AND domain = ''", u.ActorID).Delete(&models.Actor{}).Error)
	})
}
