package store

import "github.com/go-gormigrate/gormigrate/v2"

// 0015: actors gain an Ed25519 key (FEP-521a Multikey, RFC 9421 signatures
// between peers that advertise one): its id (indexed: signature key ids are
// looked up by it), its publicKeyMultibase, and for local actors the sealed
// private key. The columns are nullable, so existing rows need no default;
// local actors get their key at start (service.Actors.EnsureEd25519Keys),
// since sealing needs the instance secret. Also an index on actors.inbox_uri:
// delivery asks "does the actor behind this inbox take Ed25519?" per inbox.
// Explicit DDL as gorm writes it for the tags.
func init() {
	register(&gormigrate.Migration{
		ID: "0015_ed25519",
		Migrate: onDialect(
			ddl{
				"ALTER TABLE `actors` ADD `ed25519_key_id` text",
				"ALTER TABLE `actors` ADD `ed25519_public_key` text",
				"ALTER TABLE `actors` ADD `ed25519_private_key` blob",
				"CREATE INDEX `idx_actors_ed25519_key_id` ON `actors`(`ed25519_key_id`)",
				"CREATE INDEX `idx_actors_inbox_uri` ON `actors`(`inbox_uri`)",
			},
			ddl{
				`ALTER TABLE "actors" ADD "ed25519_key_id" varchar(2048)`,
				`ALTER TABLE "actors" ADD "ed25519_public_key" varchar(64)`,
				`ALTER TABLE "actors" ADD "ed25519_private_key" bytea`,
				`CREATE INDEX "idx_actors_ed25519_key_id" ON "actors" ("ed25519_key_id")`,
				`CREATE INDEX "idx_actors_inbox_uri" ON "actors" ("inbox_uri")`,
			}),
		Rollback: onDialect(
			ddl{
				"DROP INDEX `idx_actors_inbox_uri`",
				"DROP INDEX `idx_actors_ed25519_key_id`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_private_key`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_public_key`",
				"ALTER TABLE `actors` DROP COLUMN `ed25519_key_id`",
			},
			ddl{
				`DROP INDEX "idx_actors_inbox_uri"`,
				`DROP INDEX "idx_actors_ed25519_key_id"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_private_key"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_public_key"`,
				`ALTER TABLE "actors" DROP COLUMN "ed25519_key_id"`,
			}),
	})
}
