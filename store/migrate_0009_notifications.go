package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0009: notifications (issue 10 §2) — one row per event and recipient, unique
// on its dedupe key so that a redelivered activity notifies once, paged by
// (recipient_id, created_at); and each account's e-mail choices.
func init() {
	register(&gormigrate.Migration{
		ID:       "0009_notifications",
		Migrate:  onDialect(sqlite0009, postgres0009),
		Rollback: onDialect(drop0009, drop0009),
	})
}

var drop0009 = ddl{
	`DROP TABLE "notification_settings"`,
	`DROP TABLE "notifications"`,
}

var sqlite0009 = ddl{
	createTable("`notifications`",
		"`id` text",
		"`recipient_id` text NOT NULL",
		"`kind` text NOT NULL",
		"`actor_id` text",
		"`note_id` text",
		"`community_id` text",
		"`contribution_id` text",
		"`report_id` text",
		"`proposal_id` text",
		"`detail` text",
		"`dedupe_key` text NOT NULL",
		"`created_at` datetime",
		"`read_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_notifications_recipient` ON `notifications`(`recipient_id`,`created_at`)",
	"CREATE UNIQUE INDEX `idx_notifications_dedupe_key` ON `notifications`(`dedupe_key`)",
	createTable("`notification_settings`",
		"`actor_id` text",
		"`email_kinds` text",
		"`digest` numeric NOT NULL",
		"`digest_due_at` datetime",
		"`updated_at` datetime",
		"PRIMARY KEY (`actor_id`)"),
}

var postgres0009 = ddl{
	createTable(`"notifications"`,
		`"id" varchar(26)`,
		`"recipient_id" varchar(26) NOT NULL`,
		`"kind" varchar(40) NOT NULL`,
		`"actor_id" varchar(26)`,
		`"note_id" varchar(26)`,
		`"community_id" varchar(26)`,
		`"contribution_id" varchar(26)`,
		`"report_id" varchar(26)`,
		`"proposal_id" varchar(26)`,
		`"detail" text`,
		`"dedupe_key" varchar(400) NOT NULL`,
		`"created_at" timestamptz`,
		`"read_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_notifications_recipient" ON "notifications" ("recipient_id","created_at")`,
	`CREATE UNIQUE INDEX "idx_notifications_dedupe_key" ON "notifications" ("dedupe_key")`,
	createTable(`"notification_settings"`,
		`"actor_id" varchar(26)`,
		`"email_kinds" text`,
		`"digest" boolean NOT NULL`,
		`"digest_due_at" timestamptz`,
		`"updated_at" timestamptz`,
		`PRIMARY KEY ("actor_id")`),
}
