package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Migrations are versioned with gormigrate: each file migrate_NNNN_*.go registers one
// migration in init(), ids sort in the order they apply, and an applied id is never
// edited — a schema change is always a new migration. Migrations call AutoMigrate on
// the models they introduce; AutoMigrate only adds (tables, columns, indexes), so a
// later migration that extends a model stays correct on a database created after it.
const migrationsTable = "schema_migrations"

var registry []*gormigrate.Migration

func register(m *gormigrate.Migration) { registry = append(registry, m) }

func sorted() []*gormigrate.Migration {
	out := append([]*gormigrate.Migration(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LatestMigration is the id the schema must have reached.
func LatestMigration() string {
	m := sorted()
	return m[len(m)-1].ID
}

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	opts := &gormigrate.Options{TableName: migrationsTable, IDColumnName: "id", IDColumnSize: 255, UseTransaction: s.Driver == "postgres"}
	m := gormigrate.New(s.DB.WithContext(ctx), opts, sorted())
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// autoMigrate is the common body of a migration that introduces models.
func autoMigrate(models ...any) func(*gorm.DB) error {
	return func(tx *gorm.DB) error { return tx.AutoMigrate(models...) }
}

// dropTables is the common rollback.
func dropTables(models ...any) func(*gorm.DB) error {
	return func(tx *gorm.DB) error { return tx.Migrator().DropTable(models...) }
}
