package store

import (
	"github.com/commonsd/commonsd/models"
	"github.com/go-gormigrate/gormigrate/v2"
)

func init() {
	all := []any{&models.Follow{}, &models.Note{}, &models.NoteTag{}, &models.TimelineEntry{},
		&models.Announce{}, &models.Like{}, &models.Block{}, &models.Report{}, &models.Activity{}, &models.DomainPolicy{}}
	register(&gormigrate.Migration{ID: "0002_federation", Migrate: autoMigrate(all...), Rollback: dropTables(all...)})
}
