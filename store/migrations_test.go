package store_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// openEmpty opens a database of its own with no migration applied.
func openEmpty(t *testing.T, driver string) *store.Store {
	t.Helper()
	s, err := store.Open(store.Options{Driver: driver, DSN: storetest.NewDatabase(t, driver), MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func readSchema(t *testing.T, s *store.Store) store.Schema {
	t.Helper()
	sch, err := s.ReadSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sch) == 0 {
		t.Fatal("ReadSchema found no table")
	}
	return sch
}

// diffSchema lists the differences between two schemas, one line each.
func diffSchema(got, want store.Schema) []string {
	var out []string
	for name, wt := range want {
		gt, ok := got[name]
		if !ok {
			out = append(out, "table "+name+" is missing")
			continue
		}
		for col, wc := range wt.Columns {
			gc, ok := gt.Columns[col]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("column %s.%s is missing", name, col))
			case gc != wc:
				out = append(out, fmt.Sprintf("column %s.%s is %+v, want %+v", name, col, gc, wc))
			}
		}
		for col := range gt.Columns {
			if _, ok := wt.Columns[col]; !ok {
				out = append(out, fmt.Sprintf("column %s.%s is extra", name, col))
			}
		}
		for ix, wi := range wt.Indexes {
			gi, ok := gt.Indexes[ix]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("index %s on %s (%s) is missing", ix, name, wi))
			case gi.String() != wi.String():
				out = append(out, fmt.Sprintf("index %s on %s is %s, want %s", ix, name, gi, wi))
			}
		}
		for ix, gi := range gt.Indexes {
			if _, ok := wt.Indexes[ix]; !ok {
				out = append(out, fmt.Sprintf("index %s on %s (%s) is extra", ix, name, gi))
			}
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			out = append(out, "table "+name+" is extra")
		}
	}
	sort.Strings(out)
	return out
}

// fillRows puts one row in every table of sch (but the migrations log), with a
// value in every column, so that an upgrade meets tables that are not empty.
func fillRows(t *testing.T, s *store.Store, sch store.Schema) {
	t.Helper()
	for name, tbl := range sch {
		if name == "schema_migrations" {
			continue
		}
		row := map[string]any{}
		for col, c := range tbl.Columns {
			switch {
			case strings.Contains(c.Type, "char") || c.Type == "text":
				row[col] = "x"
			case c.Type == "boolean":
				row[col] = false
			case c.Type == "bigint" || c.Type == "integer" || c.Type == "numeric":
				row[col] = 0
			case c.Type == "bytea" || c.Type == "blob":
				row[col] = []byte{1}
			case strings.HasPrefix(c.Type, "timestamp") || c.Type == "datetime":
				row[col] = time.Now().UTC()
			default:
				t.Fatalf("fillRows: no value for %s.%s of type %s", name, col, c.Type)
			}
		}
		if err := s.DB.Table(name).Create(row).Error; err != nil {
			t.Fatalf("insert into %s: %v", name, err)
		}
	}
}

func countRows(t *testing.T, s *store.Store, tables store.Schema) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for name := range tables {
		if name == "schema_migrations" {
			continue
		}
		var n int64
		if err := s.DB.Table(name).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

// TestMigrateEveryStep builds a database as each release left it (migrated up to
// step k only), upgrades it, and requires the same schema as a database migrated in
// one go; then rolls it back to step k and requires the schema step k had. The same
// upgrade on tables holding a row must succeed and keep the rows.
func TestMigrateEveryStep(t *testing.T) {
	ctx := context.Background()
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			fresh := readSchema(t, storetest.Open(t, driver))
			for _, id := range store.MigrationIDs() {
				t.Run(id, func(t *testing.T) {
					s := openEmpty(t, driver)
					if err := s.MigrateTo(ctx, id); err != nil {
						t.Fatal(err)
					}
					atK := readSchema(t, s)
					if err := s.Migrate(ctx); err != nil {
						t.Fatalf("upgrade from %s: %v", id, err)
					}
					if d := diffSchema(readSchema(t, s), fresh); len(d) > 0 {
						t.Errorf("upgraded from %s, the schema differs from a fresh one:\n%s", id, strings.Join(d, "\n"))
					}
					if err := s.RollbackTo(ctx, id); err != nil {
						t.Fatal(err)
					}
					if d := diffSchema(readSchema(t, s), atK); len(d) > 0 {
						t.Errorf("rolled back to %s, the schema differs from the one %s left:\n%s", id, id, strings.Join(d, "\n"))
					}

					withRows := openEmpty(t, driver)
					if err := withRows.MigrateTo(ctx, id); err != nil {
						t.Fatal(err)
					}
					fillRows(t, withRows, atK)
					before := countRows(t, withRows, atK)
					if err := withRows.Migrate(ctx); err != nil {
						t.Fatalf("upgrade from %s with a row in every table: %v", id, err)
					}
					if after := countRows(t, withRows, atK); !reflect.DeepEqual(after, before) {
						t.Errorf("rows before the upgrade %v, after %v", before, after)
					}
					if err := withRows.Ready(ctx); err != nil {
						t.Errorf("upgraded with rows from %s: %v", id, err)
					}
				})
			}
		})
	}
}

// ddlRecorder is a gorm logger that keeps the schema-changing statements it sees.
type ddlRecorder struct {
	logger.Interface
	stmts []string
}

func (r *ddlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	q, _ := fc()
	for _, verb := range []string{"CREATE", "ALTER", "DROP"} {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), verb) {
			r.stmts = append(r.stmts, q)
		}
	}
}

// txConn is a transaction's connection that gorm cannot unwrap to its pool (see
// autoMigrateDDL). It still commits and rolls back, so it still counts as a
// transaction (dbresolver keeps its reads on it).
type txConn struct{ gorm.ConnPool }

func (c *txConn) Commit() error   { return c.ConnPool.(gorm.TxCommitter).Commit() }
func (c *txConn) Rollback() error { return c.ConnPool.(gorm.TxCommitter).Rollback() }

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// autoMigrateDDL runs gorm's AutoMigrate of ms on s inside a transaction that it
// rolls back (DDL is transactional on both databases), and returns the statements
// AutoMigrate needed: none when the tables already are what gorm makes of the models.
func autoMigrateDDL(t *testing.T, s *store.Store, ms ...any) []string {
	t.Helper()
	rec := &ddlRecorder{Interface: logger.Discard}
	err := s.DB.Session(&gorm.Session{Logger: rec}).Transaction(func(tx *gorm.DB) error {
		// The SQLite dialect's migrator asks gorm for the *sql.DB to run an ALTER on a
		// connection of its own, which gorm finds even inside a transaction: with
		// SQLite's one writer connection held by this transaction, that waits
		// forever. Hidden behind txConn, the transaction is the only pool it sees.
		tx = tx.Session(&gorm.Session{Context: context.Background()}) // a Statement of its own
		tx.Statement.ConnPool = &txConn{tx.Statement.ConnPool}
		if err := tx.AutoMigrate(ms...); err != nil {
			return err
		}
		return errDryRun
	})
	if !errors.Is(err, errDryRun) {
		t.Fatalf("AutoMigrate: %v", err)
	}
	return rec.stmts
}

// TestMigrationsMatchModels: a database built by the migrations has what every
// model expects (the check /readyz runs), and gorm's own AutoMigrate would change
// nothing in it. A model field added without a migration fails here, naming the
// column.
func TestMigrationsMatchModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		problems, err := s.CheckModels(readSchema(t, s), store.SchemaModels()...)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("the migrations do not give the models what they need: %s — write a migration", p)
		}
		if ddl := autoMigrateDDL(t, s, store.SchemaModels()...); len(ddl) > 0 {
			t.Errorf("AutoMigrate of the models would still change the schema the migrations built — write a migration:\n%s",
				strings.Join(ddl, "\n"))
		}
	})
}

// TestSchemaModelsListsEveryModel: every struct of package models that has gorm tags
// is in store.SchemaModels, so the checks above cover it.
func TestSchemaModelsListsEveryModel(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("../models/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var tagged []string
	{
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return false
				}
				for _, fl := range st.Fields.List {
					if fl.Tag != nil && strings.Contains(fl.Tag.Value, `gorm:"`) {
						tagged = append(tagged, ts.Name.Name)
						break
					}
				}
				return false
			})
		}
	}
	if len(tagged) < 20 {
		t.Fatalf("found only %d gorm models in ../models: %v", len(tagged), tagged)
	}
	listed := map[string]bool{}
	for _, m := range store.SchemaModels() {
		listed[reflect.TypeOf(m).Elem().Name()] = true
	}
	for _, name := range tagged {
		if !listed[name] {
			t.Errorf("models.%s has gorm tags but is not in store's schemaModels (schema.go): add it there, with its migration", name)
		}
	}
}

// Models that drift from the schema the migrations build, as a field added or
// changed without a migration would.
type (
	driftNote struct {
		models.Note
		Pinned bool `gorm:"not null"`
	}
	driftSettingNotNull struct {
		Key       string `gorm:"primaryKey;size:64"`
		Value     string `gorm:"type:text;not null"`
		UpdatedAt time.Time
	}
	driftSettingType struct {
		Key       string `gorm:"primaryKey;size:64"`
		Value     int64
		UpdatedAt time.Time
	}
	driftSettingIndex struct {
		Key       string    `gorm:"primaryKey;size:64"`
		Value     string    `gorm:"type:text"`
		UpdatedAt time.Time `gorm:"index"`
	}
	driftSettingDefault struct {
		Key       string `gorm:"primaryKey;size:64"`
		Value     string `gorm:"type:text;default:'none'"`
		UpdatedAt time.Time
	}
	driftProposal struct {
		ID    string `gorm:"primaryKey;size:26"`
		Title string `gorm:"size:300;not null"`
	}
)

func (driftNote) TableName() string           { return "notes" }
func (driftSettingNotNull) TableName() string { return "settings" }
func (driftSettingType) TableName() string    { return "settings" }
func (driftSettingIndex) TableName() string   { return "settings" }
func (driftSettingDefault) TableName() string { return "settings" }
func (driftProposal) TableName() string       { return "decisions" }

// TestModelDriftIsCaught shows that the checks of TestMigrationsMatchModels fail
// when a model changes without a migration, and say where. CheckModels sees every
// case; gorm's AutoMigrate misses a column that becomes NOT NULL.
func TestModelDriftIsCaught(t *testing.T) {
	cases := []struct {
		name    string
		model   any
		problem string // in CheckModels' report
		ddl     string // in the statements AutoMigrate would run ("": gorm does not see it)
	}{
		{"field added", &driftNote{}, "column notes.pinned (driftNote.Pinned) is missing", "pinned"},
		{"not null added", &driftSettingNotNull{}, "column settings.value (driftSettingNotNull.Value) has NOT NULL=false, the model wants true", ""},
		{"type changed", &driftSettingType{}, "column settings.value (driftSettingType.Value) has type", "value"},
		{"index added", &driftSettingIndex{}, "index idx_settings_updated_at on settings, index (updated_at) (driftSettingIndex), is missing", "idx_settings_updated_at"},
		{"default added", &driftSettingDefault{}, `column settings.value (driftSettingDefault.Value) has default "", the model wants "none"`, "value"},
		{"model added", &driftProposal{}, "table decisions (driftProposal) is missing", "decisions"},
	}
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			s := storetest.Open(t, driver)
			sch := readSchema(t, s)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					problems, err := s.CheckModels(sch, c.model)
					if err != nil {
						t.Fatal(err)
					}
					if len(problems) != 1 || !strings.Contains(problems[0], c.problem) {
						t.Errorf("CheckModels reported %q, want one line containing %q", problems, c.problem)
					}
					ddl := strings.Join(autoMigrateDDL(t, s, c.model), "\n")
					switch {
					case c.ddl == "" && ddl != "":
						t.Errorf("AutoMigrate ran %q, want nothing (gorm's AutoMigrate never adds NOT NULL to a column)", ddl)
					case c.ddl != "" && !strings.Contains(ddl, c.ddl):
						t.Errorf("AutoMigrate ran %q, want a statement about %q", ddl, c.ddl)
					}
				})
			}
		})
	}
}

// TestReadyChecksTheSchema: /readyz's check fails, saying why, when a migration is
// missing or when every migration is recorded but a column the models need is not
// there (as after a migration that differed from the one fresh databases ran).
func TestReadyChecksTheSchema(t *testing.T) {
	ctx := context.Background()
	ids := store.MigrationIDs()
	cases := []struct {
		name   string
		break_ func(t *testing.T, s *store.Store)
		want   string
	}{
		{"migrated", func(*testing.T, *store.Store) {}, ""},
		{"column dropped", func(t *testing.T, s *store.Store) {
			if err := s.DB.Exec(`DROP INDEX "idx_actors_shared_inbox"`).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.DB.Exec(`ALTER TABLE "actors" DROP COLUMN "shared_inbox"`).Error; err != nil {
				t.Fatal(err)
			}
		}, "column actors.shared_inbox (Actor.SharedInbox) is missing"},
		{"index dropped", func(t *testing.T, s *store.Store) {
			if err := s.DB.Exec(`DROP INDEX "idx_follow_pair"`).Error; err != nil {
				t.Fatal(err)
			}
		}, "index idx_follow_pair on follows, unique index (follower_id, target_id) (Follow), is missing"},
		{"table dropped", func(t *testing.T, s *store.Store) {
			if err := s.DB.Exec(`DROP TABLE "ledger_entries"`).Error; err != nil {
				t.Fatal(err)
			}
		}, "table ledger_entries (LedgerEntry) is missing"},
		{"checked, then column dropped and migrations run", func(t *testing.T, s *store.Store) {
			// Ready keeps its schema verdict for a while; migrating drops it.
			if err := s.Ready(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.DB.Exec(`ALTER TABLE "users" DROP COLUMN "signup_reason"`).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}, "column users.signup_reason (User.SignupReason) is missing"},
		{"last migration missing", func(t *testing.T, s *store.Store) {
			if err := s.RollbackTo(ctx, ids[len(ids)-2]); err != nil {
				t.Fatal(err)
			}
		}, "migrations not applied: " + ids[len(ids)-1]},
	}
	for _, driver := range storetest.Drivers(t) {
		for _, c := range cases {
			t.Run(driver+"/"+c.name, func(t *testing.T) {
				s := storetest.Open(t, driver)
				c.break_(t, s)
				err := s.Ready(ctx)
				switch {
				case c.want == "" && err != nil:
					t.Fatalf("Ready: %v", err)
				case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
					t.Fatalf("Ready: %v, want an error containing %q", err, c.want)
				}
			})
		}
	}
}

// TestFailedMigrationLeavesNothing: a migration that fails part-way (here 0003, on
// a table someone created by hand) leaves none of its tables and no record behind,
// so it runs cleanly once the cause is gone.
func TestFailedMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	ids := store.MigrationIDs()
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			s := openEmpty(t, driver)
			if err := s.MigrateTo(ctx, "0002_federation"); err != nil {
				t.Fatal(err)
			}
			// 0003 creates communities first, then memberships.
			if err := s.DB.Exec(`CREATE TABLE "memberships" ("id" text)`).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "memberships") {
				t.Fatalf("migrate: %v, want a failure on memberships", err)
			}
			if s.DB.Migrator().HasTable("communities") {
				t.Error("the failed migration left the communities table behind")
			}
			var applied []string
			if err := s.DB.Table("schema_migrations").Order("id").Pluck("id", &applied).Error; err != nil {
				t.Fatal(err)
			}
			if want := ids[:2]; !reflect.DeepEqual(applied, want) {
				t.Errorf("applied %v, want %v", applied, want)
			}
			if err := s.DB.Exec(`DROP TABLE "memberships"`).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			if err := s.Ready(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// BenchmarkReady measures one /readyz (cached schema verdict) and one schema check
// (three catalog queries and the comparison with the models).
func BenchmarkReady(b *testing.B) {
	for _, driver := range storetest.Drivers(b) {
		s := storetest.Open(b, driver)
		ctx := context.Background()
		b.Run(driver+"/ready", func(b *testing.B) {
			for b.Loop() {
				if err := s.Ready(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(driver+"/schema", func(b *testing.B) {
			for b.Loop() {
				sch, err := s.ReadSchema(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if p, err := s.CheckModels(sch, store.SchemaModels()...); err != nil || len(p) > 0 {
					b.Fatal(p, err)
				}
			}
		})
	}
}
