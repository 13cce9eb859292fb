package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm/clause"
)

// Setting returns a run-time setting, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	v, err := first[models.Setting](s.with(ctx).Where("key = ?", key))
	if err != nil {
		return "", err
	}
	return v.Value, nil
}

// PutSetting upserts a run-time setting.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	row := models.Setting{Key: key, Value: value, UpdatedAt: time.Now().UTC()}
	return translate(s.with(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&row).Error)
}

// CreateMedia stores an upload.
func (s *Store) CreateMedia(ctx context.Context, m *models.Media) error {
	return translate(s.with(ctx).Create(m).Error)
}

// MediaByID loads an upload.
func (s *Store) MediaByID(ctx context.Context, id string) (*models.Media, error) {
	return first[models.Media](s.with(ctx).Where("id = ?", id))
}

// DeleteMedia removes an upload.
func (s *Store) DeleteMedia(ctx context.Context, id string) error {
	return translate(s.with(ctx).Where("id = ?", id).Delete(&models.Media{}).Error)
}

// MediaOfContribution lists the files attached to a contribution, without their
// bytes.
func (s *Store) MediaOfContribution(ctx context.Context, contributionID string) ([]models.Media, error) {
	var out []models.Media
	return out, translate(s.with(ctx).Select("id", "owner_id", "content_type", "size", "contribution_id", "name", "created_at").
		Where("contribution_id = ?", contributionID).Order("created_at, id").Find(&out).Error)
}
