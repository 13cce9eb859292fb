package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Migrations are versioned with gormigrate: each file migrate_NNNN_*.go registers one
// migration in init(), ids sort in the order they apply, and an applied id is never
// edited — a schema change is always a new migration.
//
// How to write one (why: a migration that reads today's model structs changes
// meaning whenever a model does, so an upgraded database and a fresh one drift apart):
//
//   - The body is explicit DDL run with tx.Exec: CREATE TABLE, CREATE [UNIQUE] INDEX,
//     ALTER TABLE … ADD …, written out for each dialect where SQLite and PostgreSQL
//     differ (see onDialect). Never AutoMigrate on a struct of package models, nor anything
//     else that reads package models: the statements are the frozen history.
//   - Write the column types gorm itself would pick for the model field, so that the
//     model and the table agree (SQLite: text, integer, numeric for bool, datetime,
//     blob; PostgreSQL: varchar(N) for size:N, text, bigint, boolean, timestamptz,
//     bytea), and name indexes as gorm does (idx_<table>_<column>, or the name in the
//     tag). TestMigrationsMatchModels fails, naming the column, when a model field
//     has no column or gorm would still change something.
//   - A NOT NULL column added to an existing table needs a default, or the ALTER
//     fails on a table that has rows (TestMigrateEveryStep upgrades non-empty
//     databases); on PostgreSQL drop the default afterwards if the model has none
//     (0003 shows how).
//   - All pending migrations run in one transaction (see migrator).
//   - Add any new model to schemaModels (schema.go): /readyz and the tests check
//     every one of them against the database.
//   - Once released (merged to main), a migration is frozen: fix mistakes in a new one.
//   - Give it a Rollback that undoes exactly what it did (TestMigrateEveryStep rolls
//     back to every step and compares).
const migrationsTable = "schema_migrations"

var registry []*gormigrate.Migration

func register(m *gormigrate.Migration) { registry = append(registry, m) }

func sorted() []*gormigrate.Migration {
	out := append([]*gormigrate.Migration(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// MigrationIDs lists every migration id in the order they apply.
func MigrationIDs() []string {
	var ids []string
	for _, m := range sorted() {
		ids = append(ids, m.ID)
	}
	return ids
}

// migrator runs the migrations in one transaction on both databases (DDL is
// transactional in SQLite too): a migration that fails part-way leaves no table
// behind, so running it again after the cause is fixed cannot trip on its own
// half-done work.
func (s *Store) migrator(ctx context.Context) *gormigrate.Gormigrate {
	opts := &gormigrate.Options{TableName: migrationsTable, IDColumnName: "id", IDColumnSize: 255, UseTransaction: true}
	return gormigrate.New(s.DB.WithContext(ctx), opts, sorted())
}

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	defer s.schema.forget()
	defer s.renewReaders()
	if err := s.migrator(ctx).Migrate(); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// MigrateTo applies the pending migrations up to and including id (tests build
// databases as an older release left them).
func (s *Store) MigrateTo(ctx context.Context, id string) error {
	defer s.schema.forget()
	defer s.renewReaders()
	if err := s.migrator(ctx).MigrateTo(id); err != nil {
		return fmt.Errorf("store: migrate to %s: %w", id, err)
	}
	return nil
}

// RollbackTo undoes the applied migrations after id.
func (s *Store) RollbackTo(ctx context.Context, id string) error {
	defer s.schema.forget()
	defer s.renewReaders()
	if err := s.migrator(ctx).RollbackTo(id); err != nil {
		return fmt.Errorf("store: roll back to %s: %w", id, err)
	}
	return nil
}

// ddl is the body of a migration for one dialect: statements run in order.
type ddl []string

// onDialect returns a migration body that runs the statements written for the
// database in use.
func onDialect(sqlite, postgres ddl) func(*gorm.DB) error {
	return func(tx *gorm.DB) error {
		stmts := sqlite
		if tx.Dialector.Name() == "postgres" {
			stmts = postgres
		}
		return exec(tx, stmts...)
	}
}

// exec runs statements in order and names the one that failed.
func exec(tx *gorm.DB, stmts ...string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// createTable writes a CREATE TABLE statement the way gorm does (one line, no spaces
// after the commas), so tables created here read the same in sqlite_master as those
// gorm created before migrations were frozen. name and defs carry their own quotes.
func createTable(name string, defs ...string) string {
	return "CREATE TABLE " + name + " (" + strings.Join(defs, ",") + ")"
}

// renewReaders closes SQLite's idle read connections after a schema change:
// a reader connection that prepared statements against the old tables could
// map a rebuilt table's columns by their old positions (seen: a column added
// after a DROP COLUMN read into its neighbour). New connections read the new
// schema.
func (s *Store) renewReaders() {
	if s.reader == nil {
		return
	}
	s.reader.SetMaxIdleConns(0)
	s.reader.SetMaxIdleConns(SQLiteReaders)
}
