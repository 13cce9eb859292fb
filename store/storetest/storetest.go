// Package storetest gives every test its own database: a fresh SQLite file always,
// and a fresh PostgreSQL schema when COMMONSD_TEST_POSTGRES_DSN is set. Under CI=true
// a missing PostgreSQL DSN fails the test instead of skipping it, so CI can never
// pass having silently tested one database only.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "COMMONSD_TEST_POSTGRES_DSN"

// Drivers lists the databases to run store tests on.
func Drivers(t testing.TB) []string {
	t.Helper()
	drivers := []string{"sqlite"}
	if os.Getenv(EnvPostgres) != "" {
		drivers = append(drivers, "postgres")
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: under CI=true every store test must also run on PostgreSQL", EnvPostgres)
	}
	return drivers
}

// Each runs fn as a subtest once per database, each with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Drivers(t) {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated store on driver, closed at cleanup.
func Open(t testing.TB, driver string) *store.Store {
	t.Helper()
	dsn := NewDatabase(t, driver)
	s, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", driver, err)
	}
	return s
}

// NewDatabase returns a DSN for an empty database of its own: a file in t.TempDir()
// for SQLite, or a new schema (dropped at cleanup) for PostgreSQL.
func NewDatabase(t testing.TB, driver string) string {
	t.Helper()
	switch driver {
	case "sqlite":
		return filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		base := os.Getenv(EnvPostgres)
		if base == "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not set", EnvPostgres)
			}
			t.Skipf("postgres: %s not set", EnvPostgres)
		}
		schema := "t_" + models.NewID()
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatalf("postgres: %v", err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("postgres: create schema: %v", err)
		}
		t.Cleanup(func() {
			db, err := sql.Open("pgx", base)
			if err != nil {
				return
			}
			defer db.Close()
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
		})
		return WithSearchPath(base, schema)
	}
	t.Fatalf("unknown driver %q", driver)
	return ""
}

// WithSearchPath points a PostgreSQL DSN (URL or keyword form) at a schema.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema
	}
	return fmt.Sprintf("%s search_path=%s", dsn, schema)
}
