package store

import (
	"github.com/commonsd/commonsd/models"
	"github.com/go-gormigrate/gormigrate/v2"
)

func init() {
	register(&gormigrate.Migration{
		ID: "0001_accounts",
		Migrate: autoMigrate(&models.Actor{}, &models.User{}, &models.Session{}, &models.APIToken{},
			&models.Invite{}, &models.Setting{}, &models.Media{}),
		Rollback: dropTables(&models.Media{}, &models.Setting{}, &models.Invite{}, &models.APIToken{},
			&models.Session{}, &models.User{}, &models.Actor{}),
	})
}
