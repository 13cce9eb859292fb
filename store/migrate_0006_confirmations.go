package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0006: co-contributors named by an offer wait for their confirmation before
// they get ledger credit: contributions gain pending_contributors (a JSON list
// of actor URIs; empty = none). Explicit DDL, valid on SQLite and PostgreSQL. The
// column may already exist on a database whose earlier migrations created the
// contributions table from the current model.
func init() {
	register(&gormigrate.Migration{
		ID: "0006_confirmations",
		Migrate: func(tx *gorm.DB) error {
			if tx.Migrator().HasColumn("contributions", "pending_contributors") {
				return nil
			}
			return tx.Exec(`ALTER TABLE contributions ADD COLUMN pending_contributors TEXT NOT NULL DEFAULT ''`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Exec(`ALTER TABLE contributions DROP COLUMN pending_contributors`).Error
		},
	})
}
