package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0017: partnerships between organizations and communities (issue 12).
// idx_partnerships_open_key is unique: open_key is set while a partnership is
// requested or active and NULL once ended (NULLs never collide), so one
// organization has at most one open partnership with a community.
func init() {
	register(&gormigrate.Migration{
		ID:       "0017_partnerships",
		Migrate:  onDialect(sqlite0017, postgres0017),
		Rollback: onDialect(drop0017, drop0017),
	})
}

var drop0017 = ddl{`DROP TABLE "partnerships"`}

var sqlite0017 = ddl{
	createTable("`partnerships`",
		"`id` text",
		"`community_id` text NOT NULL",
		"`organization_id` text NOT NULL",
		"`state` text NOT NULL",
		"`open_key` text",
		"`pledge` text",
		"`terms` text",
		"`requested_by_id` text NOT NULL",
		"`decided_by_id` text",
		"`proposal_id` text",
		"`ended_by_id` text",
		"`created_at` datetime",
		"`decided_at` datetime",
		"`ended_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_partnerships_community_id` ON `partnerships`(`community_id`)",
	"CREATE INDEX `idx_partnerships_organization_id` ON `partnerships`(`organization_id`)",
	"CREATE UNIQUE INDEX `idx_partnerships_open_key` ON `partnerships`(`open_key`)",
}

var postgres0017 = ddl{
	createTable(`"partnerships"`,
		`"id" varchar(26)`,
		`"community_id" varchar(26) NOT NULL`,
		`"organization_id" varchar(26) NOT NULL`,
		`"state" varchar(16) NOT NULL`,
		`"open_key" varchar(60)`,
		`"pledge" text`,
		`"terms" text`,
		`"requested_by_id" varchar(26) NOT NULL`,
		`"decided_by_id" varchar(26)`,
		`"proposal_id" varchar(26)`,
		`"ended_by_id" varchar(26)`,
		`"created_at" timestamptz`,
		`"decided_at" timestamptz`,
		`"ended_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_partnerships_community_id" ON "partnerships" ("community_id")`,
	`CREATE INDEX "idx_partnerships_organization_id" ON "partnerships" ("organization_id")`,
	`CREATE UNIQUE INDEX "idx_partnerships_open_key" ON "partnerships" ("open_key")`,
}
