package store

import (
	"github.com/commonsd/commonsd/models"
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

func init() {
	all := []any{&models.Community{}, &models.Membership{}, &models.RoleChange{}, &models.Contribution{},
		&models.ReviewComment{}, &models.LedgerEntry{}}
	register(&gormigrate.Migration{
		ID: "0003_communities",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.AutoMigrate(all...); err != nil {
				return err
			}
			return tx.AutoMigrate(&models.Note{}) // adds notes.locked
		},
		Rollback: dropTables(all...),
	})
}
