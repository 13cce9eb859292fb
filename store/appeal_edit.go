package store

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// EditAppeal writes an appeal's edited fields, only while it is open or
// funded: ErrConflict otherwise.
func (s *Store) EditAppeal(ctx context.Context, id string, set map[string]any) error {
	res := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND state IN ?", id,
		[]string{models.AppealOpen, models.AppealFunded}).Updates(set)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missingOrConflict(ctx, &models.FundingAppeal{}, id)
	}
	return nil
}
