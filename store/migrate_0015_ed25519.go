package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// 0015: actors gain an Ed25519 key (FEP-521a Multikey, RFC 9421 signatures
// between peers that support them): its id (indexed: signature key ids are
// looked up by it), its publicKeyMultibase, and for local actors the sealed
// private key. These columns are nullable, so existing rows need no default;
// local actors get their key at start (service.Actors.EnsureEd25519Keys),
// since sealing needs the instance secret. accepts_ed25519 (a remote actor's
// server advertises, FEP-844e, that it verifies Ed25519 RFC 9421 signatures)
// is NOT NULL and added like notes.locked in 0003: with a default that fills
// existing rows, dropped afterwards on PostgreSQL; on SQLite kept only when the
// table has rows. Also an index on actors.inbox_uri: delivery asks per inbox
// "does the actor behind it take Ed25519?". Explicit DDL as gorm writes it.
func init() {
	register(&gormigrate.Migration{
		ID: "0015_ed25519",
		Migrate: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				return exec(tx, append(postgres0015,
					`ALTER TABLE "actors" ADD "accepts_ed25519" boolean NOT NULL DEFAULT false`,
					`ALTER TABLE "actors" ALTER COLUMN "accepts_ed25519" DROP DEFAULT`)...)
			}
			if err := exec(tx, sqlite0015...); err != nil {
				return err
			}
			var n int64
			if err := tx.Raw("SELECT count(*) FROM (SELECT 1 FROM `actors` LIMIT 1)").Scan(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return exec(tx, "ALTER TABLE `actors` ADD `accepts_ed25519` numeric NOT NULL")
			}
			return exec(tx, "ALTER TABLE `actors` ADD `accepts_ed25519` numeric NOT NULL DEFAULT false")
		},
		Rollback: onDialect(
			ddl{
				"ALTER TABLE `actors` DROP COLUMN `accepts_ed25519`",
				"DROP INDEX `idx_actors_inbox_uri`",
				"DROP INDEX `idx_actors_ed25519_key_id`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_private_key`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_public_key`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_key_id`",
			},
			ddl{
				`ALTER TABLE "actors" DROP COLUMN "accepts_ed25519"`,
				`DROP INDEX "idx_actors_inbox_uri"`,
				`DROP INDEX "idx_actors_ed25519_key_id"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_private_key"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_public_key"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_key_id"`,
			}),
	})
}

var sqlite0015 = ddl{
	"ALTER TABLE `actors` ADD `ed25519_key_id` text",
	"ALTER TABLE `actors` ADD `ed25519_public_key` text",
	"ALTER TABLE `actors` ADD `ed25519_private_key` blob",
	"CREATE INDEX `idx_actors_ed25519_key_id` ON `actors`(`ed25519_key_id`)",
	"CREATE INDEX `idx_actors_inbox_uri` ON `actors`(`inbox_uri`)",
}

var postgres0015 = ddl{
	`ALTER TABLE "actors" ADD "ed25519_key_id" varchar(2048)`,
	`ALTER TABLE "actors" ADD "ed25519_public_key" varchar(64)`,
	`ALTER TABLE "actors" ADD "ed25519_private_key" bytea`,
	`CREATE INDEX "idx_actors_ed25519_key_id" ON "actors" ("ed25519_key_id")`,
	`CREATE INDEX "idx_actors_inbox_uri" ON "actors" ("inbox_uri")`,
}
