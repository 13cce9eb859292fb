package store

import (
	"github.com/commonsd/commonsd/models"
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0004: files attached to contributions. media gains contribution_id (nullable:
// avatars have none) and name; contributions gain attachments (the JSON list the
// pages, the API and the ActivityPub object show).
func init() {
	register(&gormigrate.Migration{
		ID:      "0004_attachments",
		Migrate: autoMigrate(&models.Media{}, &models.Contribution{}),
		Rollback: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, col := range []struct {
				model any
				name  string
			}{{&models.Media{}, "ContributionID"}, {&models.Media{}, "Name"}, {&models.Contribution{}, "Attachments"}} {
				if m.HasColumn(col.model, col.name) {
					if err := m.DropColumn(col.model, col.name); err != nil {
						return err
					}
				}
			}
			return nil
		},
	})
}
