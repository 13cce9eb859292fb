package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0010: editing and revisions (issue 10 §3) — the versions of a community's
// charter and licence (charter_versions), the revisions of an offered
// contribution (contribution_revisions), the current revision number and edit
// time of a contribution, and the revision a review comment was written on.
// Explicit DDL as gorm writes it for the models' tags on each database.
func init() {
	register(&gormigrate.Migration{
		ID:       "0010_revisions",
		Migrate:  onDialect(sqlite0010, postgres0010),
		Rollback: onDialect(dropSQLite0010, dropPostgres0010),
	})
}

var dropSQLite0010 = ddl{
	"ALTER TABLE `review_comments` DROP COLUMN `revision`",
	"ALTER TABLE `contributions` DROP COLUMN `edited_at`",
	"ALTER TABLE `contributions` DROP COLUMN `revision`",
	"DROP TABLE `contribution_revisions`",
	"DROP TABLE `charter_versions`",
}

var dropPostgres0010 = ddl{
	`ALTER TABLE "review_comments" DROP COLUMN "revision"`,
	`ALTER TABLE "contributions" DROP COLUMN "edited_at"`,
	`ALTER TABLE "contributions" DROP COLUMN "revision"`,
	`DROP TABLE "contribution_revisions"`,
	`DROP TABLE "charter_versions"`,
}

var sqlite0010 = ddl{
	createTable("`charter_versions`",
		"`id` text",
		"`community_id` text NOT NULL",
		"`version` integer NOT NULL",
		"`charter` text",
		"`charter_html` text",
		"`licence` text NOT NULL",
		"`author_id` text",
		"`proposal_id` text",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE UNIQUE INDEX `idx_charter_version` ON `charter_versions`(`community_id`,`version`)",
	createTable("`contribution_revisions`",
		"`id` text",
		"`contribution_id` text NOT NULL",
		"`number` integer NOT NULL",
		"`title` text NOT NULL",
		"`body` text",
		"`body_html` text",
		"`links` text",
		"`attachments` text",
		"`author_id` text",
		"`uri` text",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE UNIQUE INDEX `idx_revision_number` ON `contribution_revisions`(`contribution_id`,`number`)",
	"CREATE INDEX `idx_contribution_revisions_uri` ON `contribution_revisions`(`uri`)",
	"ALTER TABLE `contributions` ADD `revision` integer NOT NULL DEFAULT 1",
	"ALTER TABLE `contributions` ADD `edited_at` datetime",
	"ALTER TABLE `review_comments` ADD `revision` integer NOT NULL DEFAULT 1",
}

var postgres0010 = ddl{
	createTable(`"charter_versions"`,
		`"id" varchar(26)`,
		`"community_id" varchar(26) NOT NULL`,
		`"version" bigint NOT NULL`,
		`"charter" text`,
		`"charter_html" text`,
		`"licence" varchar(64) NOT NULL`,
		`"author_id" varchar(26)`,
		`"proposal_id" varchar(26)`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE UNIQUE INDEX "idx_charter_version" ON "charter_versions" ("community_id","version")`,
	createTable(`"contribution_revisions"`,
		`"id" varchar(26)`,
		`"contribution_id" varchar(26) NOT NULL`,
		`"number" bigint NOT NULL`,
		`"title" varchar(300) NOT NULL`,
		`"body" text`,
		`"body_html" text`,
		`"links" text`,
		`"attachments" text`,
		`"author_id" varchar(26)`,
		`"uri" varchar(2048)`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE UNIQUE INDEX "idx_revision_number" ON "contribution_revisions" ("contribution_id","number")`,
	`CREATE INDEX "idx_contribution_revisions_uri" ON "contribution_revisions" ("uri")`,
	`ALTER TABLE "contributions" ADD "revision" bigint NOT NULL DEFAULT 1`,
	`ALTER TABLE "contributions" ADD "edited_at" timestamptz`,
	`ALTER TABLE "review_comments" ADD "revision" bigint NOT NULL DEFAULT 1`,
}
