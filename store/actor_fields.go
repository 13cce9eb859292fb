package store

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// SetActorFields replaces an actor's profile fields (JSON) if they are still
// old: a conditional update, so that a background verification never
// overwrites fields the owner changed meanwhile. It reports whether the row
// was updated.
func (s *Store) SetActorFields(ctx context.Context, id, old, fields string) (bool, error) {
	res := s.with(ctx).Model(&models.Actor{}).Where("id = ? AND fields = ?", id, old).Update("fields", fields)
	if err := translate(res.Error); err != nil {
		return false, err
	}
	if res.RowsAffected > 0 {
		s.actorsChanged(ctx)
	}
	return res.RowsAffected > 0, nil
}
