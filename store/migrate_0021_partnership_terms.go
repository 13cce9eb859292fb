package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
)

// 0021: partnerships over federation and structured reciprocity terms (issue
// 12). offer_uri is the id of the Offer{Agreement} that asked for the
// partnership across instances (unique: a duplicate Offer changes nothing;
// NULL for local requests, which never collide). terms_* are the measurable
// terms as numbers: an amount per month in integer minor units of one
// currency, hours per month, a share of revenue in basis points. All nullable
// (zero means not promised), so existing rows need no default.
func init() {
	register(&gormigrate.Migration{
		ID:      "0021_partnership_terms",
		Migrate: onDialect(sqlite0021, postgres0021),
		Rollback: onDialect(
			ddl{
				"DROP INDEX `idx_partnerships_offer_uri`",
				"ALTER TABLE `partnerships` DROP COLUMN `terms_percent_bp`",
				"ALTER TABLE `partnerships` DROP COLUMN `terms_hours`",
				"ALTER TABLE `partnerships` DROP COLUMN `terms_currency`",
				"ALTER TABLE `partnerships` DROP COLUMN `terms_minor`",
				"ALTER TABLE `partnerships` DROP COLUMN `offer_uri`",
			},
			ddl{
				`DROP INDEX "idx_partnerships_offer_uri"`,
				`ALTER TABLE "partnerships" DROP COLUMN "terms_percent_bp"`,
				`ALTER TABLE "partnerships" DROP COLUMN "terms_hours"`,
				`ALTER TABLE "partnerships" DROP COLUMN "terms_currency"`,
				`ALTER TABLE "partnerships" DROP COLUMN "terms_minor"`,
				`ALTER TABLE "partnerships" DROP COLUMN "offer_uri"`,
			}),
	})
}

var sqlite0021 = ddl{
	"ALTER TABLE `partnerships` ADD `offer_uri` text",
	"ALTER TABLE `partnerships` ADD `terms_minor` integer",
	"ALTER TABLE `partnerships` ADD `terms_currency` text",
	"ALTER TABLE `partnerships` ADD `terms_hours` integer",
	"ALTER TABLE `partnerships` ADD `terms_percent_bp` integer",
	"CREATE UNIQUE INDEX `idx_partnerships_offer_uri` ON `partnerships`(`offer_uri`)",
}

var postgres0021 = ddl{
	`ALTER TABLE "partnerships" ADD "offer_uri" varchar(2048)`,
	`ALTER TABLE "partnerships" ADD "terms_minor" bigint`,
	`ALTER TABLE "partnerships" ADD "terms_currency" varchar(3)`,
	`ALTER TABLE "partnerships" ADD "terms_hours" bigint`,
	`ALTER TABLE "partnerships" ADD "terms_percent_bp" bigint`,
	`CREATE UNIQUE INDEX "idx_partnerships_offer_uri" ON "partnerships" ("offer_uri")`,
}
