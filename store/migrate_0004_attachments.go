package store

import "github.com/go-gormigrate/gormigrate/v2"

// 0004: files attached to contributions. media gains contribution_id (nullable:
// avatars have none) and name; contributions gain attachments (the JSON list the
// pages, the API and the ActivityPub object show). Frozen: the statements gorm's
// AutoMigrate ran for the models of that release.
func init() {
	register(&gormigrate.Migration{
		ID:      "0004_attachments",
		Migrate: onDialect(sqlite0004, postgres0004),
		Rollback: onDialect(ddl{
			"DROP INDEX `idx_media_contribution_id`",
			"ALTER TABLE `contributions` DROP COLUMN `attachments`",
			"ALTER TABLE `media` DROP COLUMN `name`",
			"ALTER TABLE `media` DROP COLUMN `contribution_id`",
		}, ddl{
			`DROP INDEX "idx_media_contribution_id"`,
			`ALTER TABLE "contributions" DROP COLUMN "attachments"`,
			`ALTER TABLE "media" DROP COLUMN "name"`,
			`ALTER TABLE "media" DROP COLUMN "contribution_id"`,
		}),
	})
}

var sqlite0004 = ddl{
	"ALTER TABLE `media` ADD `contribution_id` text",
	"ALTER TABLE `media` ADD `name` text",
	"CREATE INDEX `idx_media_contribution_id` ON `media`(`contribution_id`)",
	"ALTER TABLE `contributions` ADD `attachments` text",
}

var postgres0004 = ddl{
	`ALTER TABLE "media" ADD "contribution_id" varchar(26)`,
	`ALTER TABLE "media" ADD "name" varchar(255)`,
	`CREATE INDEX "idx_media_contribution_id" ON "media" ("contribution_id")`,
	`ALTER TABLE "contributions" ADD "attachments" text`,
}
