package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0011: accounts and moderation (issue 10 §4–5).
//   - password_resets: one-time password reset tokens, stored as the SHA-256 of
//     the secret, with their expiry and the moment they were used (single use is
//     a conditional update of used_at).
//   - reports gain how a moderator resolved them: by whom, the action taken and
//     the note given.
//   - actors gain deleted_at: a local account deleted by its owner is served as
//     a Tombstone (410) from then on, and its handle stays taken.
//   - PostgreSQL: a GIN index over the notes' text for full-text search
//     (websearch_to_tsquery with the 'simple' configuration, which neither stems
//     nor drops words, so it suits every language; the default parser reads HTML
//     tags as tokens of their own that no configuration indexes). SQLite searches
//     with LIKE and needs no index.
func init() {
	register(&gormigrate.Migration{
		ID:       "0011_accounts",
		Migrate:  onDialect(sqlite0011, postgres0011),
		Rollback: onDialect(dropSqlite0011, dropPostgres0011),
	})
}

// NoteSearchVector is the expression the GIN index idx_notes_search covers; a
// query must use exactly this expression for PostgreSQL to use the index.
const NoteSearchVector = `to_tsvector('simple', coalesce("notes"."name", '') || ' ' || coalesce("notes"."content", ''))`

var sqlite0011 = ddl{
	createTable("`password_resets`",
		"`id` text",
		"`user_id` text NOT NULL",
		"`expires_at` datetime NOT NULL",
		"`used_at` datetime",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_password_resets_user_id` ON `password_resets`(`user_id`)",
	"CREATE INDEX `idx_password_resets_created_at` ON `password_resets`(`created_at`)",
	"ALTER TABLE `reports` ADD `resolved_by_id` text",
	"ALTER TABLE `reports` ADD `action` text",
	"ALTER TABLE `reports` ADD `resolution` text",
	"ALTER TABLE `actors` ADD `deleted_at` datetime",
}

var postgres0011 = ddl{
	createTable(`"password_resets"`,
		`"id" varchar(64)`,
		`"user_id" varchar(26) NOT NULL`,
		`"expires_at" timestamptz NOT NULL`,
		`"used_at" timestamptz`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_password_resets_user_id" ON "password_resets" ("user_id")`,
	`CREATE INDEX "idx_password_resets_created_at" ON "password_resets" ("created_at")`,
	`ALTER TABLE "reports" ADD "resolved_by_id" varchar(26)`,
	`ALTER TABLE "reports" ADD "action" varchar(32)`,
	`ALTER TABLE "reports" ADD "resolution" text`,
	`ALTER TABLE "actors" ADD "deleted_at" timestamptz`,
	`CREATE INDEX "idx_notes_search" ON "notes" USING GIN (` + NoteSearchVector + `)`,
}

var dropSqlite0011 = ddl{
	"ALTER TABLE `actors` DROP COLUMN `deleted_at`",
	"ALTER TABLE `reports` DROP COLUMN `resolution`",
	"ALTER TABLE `reports` DROP COLUMN `action`",
	"ALTER TABLE `reports` DROP COLUMN `resolved_by_id`",
	"DROP TABLE `password_resets`",
}

var dropPostgres0011 = ddl{
	`DROP INDEX "idx_notes_search"`,
	`ALTER TABLE "actors" DROP COLUMN "deleted_at"`,
	`ALTER TABLE "reports" DROP COLUMN "resolution"`,
	`ALTER TABLE "reports" DROP COLUMN "action"`,
	`ALTER TABLE "reports" DROP COLUMN "resolved_by_id"`,
	`DROP TABLE "password_resets"`,
}
