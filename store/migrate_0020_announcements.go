package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0020: coalition announcements (issue 12) — the announcements themselves,
// what each local community did with one addressed to it (one row per pair:
// the primary key, so a re-delivered announcement is never relayed twice),
// and contributions' claims of bounties.
func init() {
	register(&gormigrate.Migration{
		ID:       "0020_announcements",
		Migrate:  onDialect(sqlite0020, postgres0020),
		Rollback: onDialect(drop0020, drop0020),
	})
}

var drop0020 = ddl{
	`DROP TABLE "bounty_claims"`,
	`DROP TABLE "announcement_relays"`,
	`DROP TABLE "announcements"`,
}

var sqlite0020 = ddl{
	createTable("`announcements`",
		"`id` text",
		"`uri` text NOT NULL",
		"`url` text",
		"`note_id` text",
		"`author_id` text NOT NULL",
		"`local` numeric NOT NULL",
		"`kind` text NOT NULL",
		"`purpose` text NOT NULL",
		"`title` text NOT NULL",
		"`body` text",
		"`body_html` text",
		"`for_whom` text",
		"`price_minor` integer NOT NULL",
		"`currency` text",
		"`pay_note` text",
		"`at` datetime",
		"`link` text",
		"`communities` text",
		"`state` text NOT NULL",
		"`closed_at` datetime",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE UNIQUE INDEX `idx_announcements_uri` ON `announcements`(`uri`)",
	"CREATE INDEX `idx_announcements_author_id` ON `announcements`(`author_id`)",
	"CREATE INDEX `idx_announcements_created_at` ON `announcements`(`created_at`)",
	createTable("`announcement_relays`",
		"`community_id` text",
		"`announcement_id` text",
		"`state` text NOT NULL",
		"`decided_by_id` text",
		"`created_at` datetime",
		"`decided_at` datetime",
		"PRIMARY KEY (`community_id`,`announcement_id`)"),
	createTable("`bounty_claims`",
		"`contribution_id` text",
		"`bounty_id` text NOT NULL",
		"`created_at` datetime",
		"PRIMARY KEY (`contribution_id`)"),
	"CREATE INDEX `idx_bounty_claims_bounty_id` ON `bounty_claims`(`bounty_id`)",
}

var postgres0020 = ddl{
	createTable(`"announcements"`,
		`"id" varchar(26)`,
		`"uri" varchar(2048) NOT NULL`,
		`"url" varchar(2048)`,
		`"note_id" varchar(26)`,
		`"author_id" varchar(26) NOT NULL`,
		`"local" boolean NOT NULL`,
		`"kind" varchar(16) NOT NULL`,
		`"purpose" varchar(16) NOT NULL`,
		`"title" varchar(300) NOT NULL`,
		`"body" text`,
		`"body_html" text`,
		`"for_whom" varchar(500)`,
		`"price_minor" bigint NOT NULL`,
		`"currency" varchar(3)`,
		`"pay_note" varchar(16)`,
		`"at" timestamptz`,
		`"link" varchar(2048)`,
		`"communities" text`,
		`"state" varchar(16) NOT NULL`,
		`"closed_at" timestamptz`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE UNIQUE INDEX "idx_announcements_uri" ON "announcements" ("uri")`,
	`CREATE INDEX "idx_announcements_author_id" ON "announcements" ("author_id")`,
	`CREATE INDEX "idx_announcements_created_at" ON "announcements" ("created_at")`,
	createTable(`"announcement_relays"`,
		`"community_id" varchar(26)`,
		`"announcement_id" varchar(26)`,
		`"state" varchar(16) NOT NULL`,
		`"decided_by_id" varchar(26)`,
		`"created_at" timestamptz`,
		`"decided_at" timestamptz`,
		`PRIMARY KEY ("community_id","announcement_id")`),
	createTable(`"bounty_claims"`,
		`"contribution_id" varchar(26)`,
		`"bounty_id" varchar(26) NOT NULL`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("contribution_id")`),
	`CREATE INDEX "idx_bounty_claims_bounty_id" ON "bounty_claims" ("bounty_id")`,
}
