package store

import "github.com/go-gormigrate/gormigrate/v2"

// 0005: banners — actors gain image_media_id (the uploaded header image of a local
// actor). Frozen: the statement gorm's AutoMigrate ran for the model of that release.
func init() {
	register(&gormigrate.Migration{
		ID: "0005_banners",
		Migrate: onDialect(
			ddl{"ALTER TABLE `actors` ADD `image_media_id` text"},
			ddl{`ALTER TABLE "actors" ADD "image_media_id" varchar(26)`}),
		Rollback: onDialect(
			ddl{"ALTER TABLE `actors` DROP COLUMN `image_media_id`"},
			ddl{`ALTER TABLE "actors" DROP COLUMN "image_media_id"`}),
	})
}
