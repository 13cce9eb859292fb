package store

import (
	"github.com/commonsd/commonsd/models"
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

func init() {
	register(&gormigrate.Migration{
		ID:      "0005_banners",
		Migrate: autoMigrate(&models.Actor{}), // adds actors.image_media_id
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropColumn(&models.Actor{}, "ImageMediaID")
		},
	})
}
