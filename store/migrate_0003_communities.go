package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0003: communities — the commons side of Group actors, memberships, the role log,
// contributions, review comments and the ledger; and notes.locked (a moderator closed
// the thread). Frozen: the statements gorm's AutoMigrate ran for the models of that
// release, except that notes.locked is added so that it also works on a notes table
// that has rows (gorm's ALTER added a NOT NULL column without a default, which both
// databases refuse on a non-empty table).
func init() {
	register(&gormigrate.Migration{
		ID: "0003_communities",
		Migrate: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				if err := exec(tx, postgres0003...); err != nil {
					return err
				}
				// The default fills existing rows; dropping it leaves the column as
				// gorm created it on an empty table.
				return exec(tx, `ALTER TABLE "notes" ADD "locked" boolean NOT NULL DEFAULT false`,
					`ALTER TABLE "notes" ALTER COLUMN "locked" DROP DEFAULT`)
			}
			if err := exec(tx, sqlite0003...); err != nil {
				return err
			}
			// SQLite cannot drop a column default without rebuilding the table: an
			// empty notes table gets exactly gorm's column, one with rows keeps a
			// DEFAULT false that nothing reads (gorm writes every column on insert).
			var n int64
			if err := tx.Raw("SELECT count(*) FROM (SELECT 1 FROM `notes` LIMIT 1)").Scan(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return exec(tx, "ALTER TABLE `notes` ADD `locked` numeric NOT NULL")
			}
			return exec(tx, "ALTER TABLE `notes` ADD `locked` numeric NOT NULL DEFAULT false")
		},
		Rollback: onDialect(drop0003, drop0003),
	})
}

// drop0003 undoes 0003_communities (the same statements on both databases).
var drop0003 = ddl{
	`ALTER TABLE "notes" DROP COLUMN "locked"`,
	`DROP TABLE "ledger_entries"`,
	`DROP TABLE "review_comments"`,
	`DROP TABLE "contributions"`,
	`DROP TABLE "role_changes"`,
	`DROP TABLE "memberships"`,
	`DROP TABLE "communities"`,
}

var sqlite0003 = ddl{
	createTable("`communities`",
		"`actor_id` text",
		"`licence` text NOT NULL",
		"`charter` text",
		"`charter_html` text",
		"`links` text",
		"`posting_policy` text NOT NULL",
		"`offer_policy` text NOT NULL",
		"`membership_policy` text NOT NULL",
		"`members_public` numeric NOT NULL",
		"`weight_min` integer NOT NULL",
		"`weight_max` integer NOT NULL",
		"`created_by_id` text",
		"`created_at` datetime",
		"`updated_at` datetime",
		"PRIMARY KEY (`actor_id`)"),
	createTable("`memberships`",
		"`id` text",
		"`community_id` text NOT NULL",
		"`actor_id` text NOT NULL",
		"`role` text NOT NULL",
		"`state` text NOT NULL",
		"`uri` text",
		"`created_at` datetime",
		"`updated_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_memberships_actor_id` ON `memberships`(`actor_id`)",
	"CREATE INDEX `idx_memberships_uri` ON `memberships`(`uri`)",
	"CREATE UNIQUE INDEX `idx_membership_pair` ON `memberships`(`community_id`,`actor_id`)",
	createTable("`role_changes`",
		"`id` text",
		"`community_id` text NOT NULL",
		"`actor_id` text NOT NULL",
		"`by_id` text",
		"`old_role` text",
		"`new_role` text",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_role_changes_community_id` ON `role_changes`(`community_id`)",
	createTable("`contributions`",
		"`id` text",
		"`uri` text NOT NULL",
		"`offer_uri` text",
		"`community_id` text NOT NULL",
		"`contributor_id` text NOT NULL",
		"`contributors` text",
		"`title` text NOT NULL",
		"`body` text",
		"`body_html` text",
		"`kind` text NOT NULL",
		"`links` text",
		"`licence` text NOT NULL",
		"`state` text NOT NULL",
		"`reason` text",
		"`local` numeric NOT NULL",
		"`decided_by_id` text",
		"`accepted_at` datetime",
		"`created_at` datetime",
		"`updated_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_contributions_accepted_at` ON `contributions`(`accepted_at`)",
	"CREATE INDEX `idx_contributions_community_id` ON `contributions`(`community_id`)",
	"CREATE INDEX `idx_contributions_contributor_id` ON `contributions`(`contributor_id`)",
	"CREATE INDEX `idx_contributions_created_at` ON `contributions`(`created_at`)",
	"CREATE INDEX `idx_contributions_offer_uri` ON `contributions`(`offer_uri`)",
	"CREATE INDEX `idx_contributions_state` ON `contributions`(`state`)",
	"CREATE UNIQUE INDEX `idx_contributions_uri` ON `contributions`(`uri`)",
	createTable("`review_comments`",
		"`id` text",
		"`contribution_id` text NOT NULL",
		"`author_id` text NOT NULL",
		"`body` text",
		"`body_html` text",
		"`request_changes` numeric NOT NULL",
		"`created_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_review_comments_contribution_id` ON `review_comments`(`contribution_id`)",
	createTable("`ledger_entries`",
		"`id` text",
		"`community_id` text NOT NULL",
		"`contribution_id` text NOT NULL",
		"`contributor_id` text NOT NULL",
		"`kind` text NOT NULL",
		"`weight` integer NOT NULL",
		"`set_by_id` text",
		"`recorded_at` datetime",
		"PRIMARY KEY (`id`)"),
	"CREATE INDEX `idx_ledger_entries_community_id` ON `ledger_entries`(`community_id`)",
	"CREATE INDEX `idx_ledger_entries_contributor_id` ON `ledger_entries`(`contributor_id`)",
	"CREATE INDEX `idx_ledger_entries_recorded_at` ON `ledger_entries`(`recorded_at`)",
	"CREATE UNIQUE INDEX `idx_ledger_pair` ON `ledger_entries`(`contribution_id`,`contributor_id`)",
}

var postgres0003 = ddl{
	createTable(`"communities"`,
		`"actor_id" varchar(26)`,
		`"licence" varchar(64) NOT NULL`,
		`"charter" text`,
		`"charter_html" text`,
		`"links" text`,
		`"posting_policy" varchar(16) NOT NULL`,
		`"offer_policy" varchar(16) NOT NULL`,
		`"membership_policy" varchar(16) NOT NULL`,
		`"members_public" boolean NOT NULL`,
		`"weight_min" bigint NOT NULL`,
		`"weight_max" bigint NOT NULL`,
		`"created_by_id" varchar(26)`,
		`"created_at" timestamptz`,
		`"updated_at" timestamptz`,
		`PRIMARY KEY ("actor_id")`),
	createTable(`"memberships"`,
		`"id" varchar(26)`,
		`"community_id" varchar(26) NOT NULL`,
		`"actor_id" varchar(26) NOT NULL`,
		`"role" varchar(16) NOT NULL`,
		`"state" varchar(16) NOT NULL`,
		`"uri" varchar(2048)`,
		`"created_at" timestamptz`,
		`"updated_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_memberships_actor_id" ON "memberships" ("actor_id")`,
	`CREATE INDEX "idx_memberships_uri" ON "memberships" ("uri")`,
	`CREATE UNIQUE INDEX "idx_membership_pair" ON "memberships" ("community_id","actor_id")`,
	createTable(`"role_changes"`,
		`"id" varchar(26)`,
		`"community_id" varchar(26) NOT NULL`,
		`"actor_id" varchar(26) NOT NULL`,
		`"by_id" varchar(26)`,
		`"old_role" varchar(16)`,
		`"new_role" varchar(16)`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_role_changes_community_id" ON "role_changes" ("community_id")`,
	createTable(`"contributions"`,
		`"id" varchar(26)`,
		`"uri" varchar(2048) NOT NULL`,
		`"offer_uri" varchar(2048)`,
		`"community_id" varchar(26) NOT NULL`,
		`"contributor_id" varchar(26) NOT NULL`,
		`"contributors" text`,
		`"title" varchar(300) NOT NULL`,
		`"body" text`,
		`"body_html" text`,
		`"kind" varchar(16) NOT NULL`,
		`"links" text`,
		`"licence" varchar(64) NOT NULL`,
		`"state" varchar(24) NOT NULL`,
		`"reason" text`,
		`"local" boolean NOT NULL`,
		`"decided_by_id" varchar(26)`,
		`"accepted_at" timestamptz`,
		`"created_at" timestamptz`,
		`"updated_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_contributions_accepted_at" ON "contributions" ("accepted_at")`,
	`CREATE INDEX "idx_contributions_community_id" ON "contributions" ("community_id")`,
	`CREATE INDEX "idx_contributions_contributor_id" ON "contributions" ("contributor_id")`,
	`CREATE INDEX "idx_contributions_created_at" ON "contributions" ("created_at")`,
	`CREATE INDEX "idx_contributions_offer_uri" ON "contributions" ("offer_uri")`,
	`CREATE INDEX "idx_contributions_state" ON "contributions" ("state")`,
	`CREATE UNIQUE INDEX "idx_contributions_uri" ON "contributions" ("uri")`,
	createTable(`"review_comments"`,
		`"id" varchar(26)`,
		`"contribution_id" varchar(26) NOT NULL`,
		`"author_id" varchar(26) NOT NULL`,
		`"body" text`,
		`"body_html" text`,
		`"request_changes" boolean NOT NULL`,
		`"created_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_review_comments_contribution_id" ON "review_comments" ("contribution_id")`,
	createTable(`"ledger_entries"`,
		`"id" varchar(26)`,
		`"community_id" varchar(26) NOT NULL`,
		`"contribution_id" varchar(26) NOT NULL`,
		`"contributor_id" varchar(26) NOT NULL`,
		`"kind" varchar(16) NOT NULL`,
		`"weight" bigint NOT NULL`,
		`"set_by_id" varchar(26)`,
		`"recorded_at" timestamptz`,
		`PRIMARY KEY ("id")`),
	`CREATE INDEX "idx_ledger_entries_community_id" ON "ledger_entries" ("community_id")`,
	`CREATE INDEX "idx_ledger_entries_contributor_id" ON "ledger_entries" ("contributor_id")`,
	`CREATE INDEX "idx_ledger_entries_recorded_at" ON "ledger_entries" ("recorded_at")`,
	`CREATE UNIQUE INDEX "idx_ledger_pair" ON "ledger_entries" ("contribution_id","contributor_id")`,
}
