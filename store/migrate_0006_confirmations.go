package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0006: co-contributors named by an offer wait for their confirmation before
// they get ledger credit: contributions gain pending_contributors (a JSON list
// of actor URIs; empty = none). Explicit DDL as gorm writes it for the model's
// tags on each database, so the schema check finds nothing to change.
func init() {
	register(&gormigrate.Migration{
		ID: "0006_confirmations",
		Migrate: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "sqlite" {
				return tx.Exec("ALTER TABLE `contributions` ADD `pending_contributors` text NOT NULL DEFAULT \"\"").Error
			}
			return tx.Exec(`ALTER TABLE "contributions" ADD "pending_contributors" text NOT NULL DEFAULT ''`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Exec(`ALTER TABLE contributions DROP COLUMN pending_contributors`).Error
		},
	})
}
