package store

import "github.com/go-gormigrate/gormigrate/v2"

// 0023: media attachments of remote notes (Mastodon's Document, Lemmy's Image,
// Mobilizon's banner, PeerTube's video), kept as a JSON list on the note:
// the timeline and thread pages show them.
func init() {
	register(&gormigrate.Migration{
		ID: "0023_note_attachments",
		Migrate: onDialect(ddl{
			"ALTER TABLE `notes` ADD `attachments` text",
		}, ddl{
			`ALTER TABLE "notes" ADD "attachments" text`,
		}),
		Rollback: onDialect(ddl{
			"ALTER TABLE `notes` DROP COLUMN `attachments`",
		}, ddl{
			`ALTER TABLE "notes" DROP COLUMN "attachments"`,
		}),
	})
}
