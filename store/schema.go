package store

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// schemaModels lists every model stored in a table of its own. The migrations must
// give each of them a table with a column for every field and every index its tags
// declare: Ready checks it at every /readyz, and TestMigrationsMatchModels checks it
// against a database built by the migrations (and that this list names every struct
// of package models that has gorm tags). A new model joins this list in the change
// that adds its migration.
var schemaModels = []any{
	// 0001_accounts
	&models.Actor{}, &models.User{}, &models.Session{}, &models.APIToken{}, &models.Invite{},
	&models.Setting{}, &models.Media{},
	// 0002_federation
	&models.Follow{}, &models.Note{}, &models.NoteTag{}, &models.TimelineEntry{}, &models.Announce{},
	&models.Like{}, &models.Block{}, &models.Report{}, &models.Activity{}, &models.DomainPolicy{},
	// 0003_communities
	&models.Community{}, &models.Membership{}, &models.RoleChange{}, &models.Contribution{},
	&models.ReviewComment{}, &models.LedgerEntry{},
	// 0008_governance
	&models.Proposal{}, &models.ProposalVoter{}, &models.Ballot{}, &models.AdvisoryVote{},
	// 0009_notifications
	&models.Notification{}, &models.NotificationSetting{},
	// 0011_accounts
	&models.PasswordReset{},
	// 0010_revisions
	&models.CharterVersion{}, &models.ContributionRevision{},
	// 0012_governance_methods
	&models.GovernanceSettings{}, &models.Poll{}, &models.PollVote{},
	// 0013_economy
	&models.Organization{}, &models.OrganizationAdmin{}, &models.FundingAppeal{}, &models.Pledge{},
	&models.EconomicEvent{},
	// 0017_partnerships
	&models.Partnership{},
	// 0020_announcements
	&models.Announcement{}, &models.AnnouncementRelay{}, &models.BountyClaim{},
}

// SchemaModels returns the models the schema must hold (see schemaModels).
func SchemaModels() []any { return append([]any(nil), schemaModels...) }

// Schema is a database's schema reduced to what the code relies on: tables, their
// columns (type, nullability, default) and indexes (columns in order, uniqueness).
// Column order is left out: a column added by ALTER TABLE comes last, and nothing
// reads columns by position.
type Schema map[string]*Table

// Table is one table of a Schema.
type Table struct {
	Columns map[string]Column
	Indexes map[string]Index
}

// Column is one column: its type as the database reports it (lower case), whether it
// is NOT NULL, and its default expression ("" when it has none).
type Column struct {
	Type    string
	NotNull bool
	Default string
}

// Index is one index: its columns in order and whether it is unique or the primary key.
type Index struct {
	Columns []string
	Unique  bool
	Primary bool
}

func (i Index) String() string {
	kind := "index"
	switch {
	case i.Primary:
		kind = "primary key"
	case i.Unique:
		kind = "unique index"
	}
	return kind + " (" + strings.Join(i.Columns, ", ") + ")"
}

// ReadSchema reads the schema of the database (SQLite) or of the current schema
// (PostgreSQL), in three catalog queries.
func (s *Store) ReadSchema(ctx context.Context) (Schema, error) {
	var colQ, idxQ string
	if s.Driver == "postgres" {
		colQ = `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
			COALESCE(pg_get_expr(d.adbin, d.adrelid), '')
			FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`
		idxQ = `SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary, a.attname
			FROM pg_index ix
			JOIN pg_class i ON i.oid = ix.indexrelid
			JOIN pg_class t ON t.oid = ix.indrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
			WHERE n.nspname = current_schema()
			ORDER BY t.relname, i.relname, k.ord`
	} else {
		colQ = `SELECT m.name, p.name, lower(p.type), p."notnull", COALESCE(p.dflt_value, '')
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
		idxQ = `SELECT m.name, il.name, il."unique", il.origin = 'pk', ii.name
			FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			ORDER BY m.name, il.name, ii.seqno`
	}
	db := s.DB.WithContext(ctx)
	out := Schema{}
	table := func(name string) *Table {
		t := out[name]
		if t == nil {
			t = &Table{Columns: map[string]Column{}, Indexes: map[string]Index{}}
			out[name] = t
		}
		return t
	}
	rows, err := db.Raw(colQ).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read columns: %w", err)
	}
	for rows.Next() {
		var tbl, name string
		var c Column
		if err := rows.Scan(&tbl, &name, &c.Type, &c.NotNull, &c.Default); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: read columns: %w", err)
		}
		table(tbl).Columns[name] = c
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: read columns: %w", err)
	}
	rows, err = db.Raw(idxQ).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read indexes: %w", err)
	}
	for rows.Next() {
		var tbl, name, col string
		var unique, primary bool
		if err := rows.Scan(&tbl, &name, &unique, &primary, &col); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: read indexes: %w", err)
		}
		t := table(tbl)
		ix := t.Indexes[name]
		ix.Columns = append(ix.Columns, col)
		ix.Unique, ix.Primary = unique, primary
		t.Indexes[name] = ix
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: read indexes: %w", err)
	}
	return out, nil
}

func closeRows(rows interface {
	Err() error
	Close() error
}) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// CheckModels compares sch with what the given models expect, as gorm reads their
// tags: a table for each, and for each field a column of the type gorm would create,
// with the same nullability and the default the tag declares, and every index the
// tags declare. It
// returns one line per difference, naming the table and column; none means the
// models and the database agree.
func (s *Store) CheckModels(sch Schema, ms ...any) ([]string, error) {
	var problems []string
	for _, m := range ms {
		stmt := &gorm.Statement{DB: s.DB}
		if err := stmt.Parse(m); err != nil {
			return nil, fmt.Errorf("store: parse model %T: %w", m, err)
		}
		sc := stmt.Schema
		t := sch[sc.Table]
		if t == nil {
			problems = append(problems, fmt.Sprintf("table %s (%s) is missing", sc.Table, sc.Name))
			continue
		}
		for _, f := range sc.Fields {
			if f.DBName == "" || f.IgnoreMigration {
				continue
			}
			where := fmt.Sprintf("column %s.%s (%s.%s)", sc.Table, f.DBName, sc.Name, f.Name)
			c, ok := t.Columns[f.DBName]
			if !ok {
				problems = append(problems, where+" is missing")
				continue
			}
			if want := s.columnType(f); c.Type != want {
				problems = append(problems, fmt.Sprintf("%s has type %s, the model wants %s", where, c.Type, want))
			}
			if !f.PrimaryKey && c.NotNull != f.NotNull {
				problems = append(problems, fmt.Sprintf("%s has NOT NULL=%v, the model wants %v", where, c.NotNull, f.NotNull))
			}
			// A default the model declares must be there: gorm leaves a zero value
			// out of the INSERT and counts on it. A default the model does not
			// declare is never used (gorm writes the column), so it is allowed.
			if want, ok := fieldDefault(f); ok {
				if got, has := columnDefault(c); !has || got != want {
					problems = append(problems, fmt.Sprintf("%s has default %q, the model wants %q", where, c.Default, want))
				}
			}
		}
		for _, ix := range sc.ParseIndexes() {
			var cols []string
			for _, o := range ix.Fields {
				cols = append(cols, o.DBName)
			}
			want := Index{Columns: cols, Unique: ix.Class == "UNIQUE"}
			got, ok := t.Indexes[ix.Name]
			if !ok {
				problems = append(problems, fmt.Sprintf("index %s on %s, %s (%s), is missing", ix.Name, sc.Table, want, sc.Name))
				continue
			}
			if got.String() != want.String() {
				problems = append(problems, fmt.Sprintf("index %s on %s is a %s, the model wants a %s", ix.Name, sc.Table, got, want))
			}
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// columnType is the type gorm creates for f, spelled as ReadSchema reports it.
func (s *Store) columnType(f *schema.Field) string {
	t := strings.ToLower(s.DB.Dialector.DataTypeOf(f))
	if s.Driver != "postgres" {
		return t
	}
	switch {
	case strings.HasPrefix(t, "varchar"):
		return "character varying" + strings.TrimPrefix(t, "varchar")
	case t == "timestamptz":
		return "timestamp with time zone"
	}
	return t
}

var pgCast = regexp.MustCompile(`::[a-z ]+(\([0-9]+\))?$`)

// columnDefault is a column's default as a gorm tag spells it once parsed: without
// PostgreSQL's cast ('x'::character varying) and without the quotes of a string.
func columnDefault(c Column) (string, bool) {
	if c.Default == "" {
		return "", false
	}
	d := pgCast.ReplaceAllString(c.Default, "")
	if len(d) >= 2 && (d[0] == '\'' || d[0] == '"') && d[len(d)-1] == d[0] {
		d = d[1 : len(d)-1]
	}
	return d, true
}

// fieldDefault is the default the model declares for f, and whether it declares one.
func fieldDefault(f *schema.Field) (string, bool) {
	if !f.HasDefaultValue || f.DefaultValueInterface == nil && (f.DefaultValue == "" || strings.EqualFold(f.DefaultValue, "null")) {
		return "", false
	}
	return f.DefaultValue, true
}

// schemaRecheck is how long Ready trusts its last schema check. The check costs
// three catalog queries (measured 4-8 ms on SQLite, where it holds the one connection,
// and 17-25 ms on PostgreSQL: BenchmarkReady), too much for every probe; the schema
// only changes by migrating, which drops the cached outcome.
const schemaRecheck = time.Minute

// schemaCheck is the cached outcome of the schema check, shared by a Store and the
// Stores bound to its transactions.
type schemaCheck struct {
	mu      sync.Mutex
	checked time.Time // zero: check at the next Ready
	err     error
}

func (c *schemaCheck) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.checked = time.Time{}
	c.mu.Unlock()
}

// Ready reports whether the database answers, every migration is applied and the
// schema holds what the models need (tables, columns with their types, nullability
// and declared defaults, indexes). The last migration id alone is not enough: a
// database upgraded by a migration that differs from the one a fresh database ran
// would pass that check and fail on the first query that touches what it lacks.
// The ping and the migration ids are checked at every call, the schema at most once
// per schemaRecheck (and again after any migration).
func (s *Store) Ready(ctx context.Context) error {
	if err := s.SQL().PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	var applied []string
	if err := s.DB.WithContext(ctx).Table(migrationsTable).Pluck("id", &applied).Error; err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	have := map[string]bool{}
	for _, id := range applied {
		have[id] = true
	}
	var missing []string
	for _, id := range MigrationIDs() {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("migrations not applied: %s", strings.Join(missing, ", "))
	}
	c := s.schema
	if c == nil {
		return s.checkSchema(ctx)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked.IsZero() || time.Since(c.checked) > schemaRecheck {
		err := s.checkSchema(ctx)
		if ctx.Err() != nil {
			return err // the probe gave up: do not remember that
		}
		c.checked, c.err = time.Now(), err
	}
	return c.err
}

// checkSchema compares the database with schemaModels.
func (s *Store) checkSchema(ctx context.Context) error {
	sch, err := s.ReadSchema(ctx)
	if err != nil {
		return err
	}
	problems, err := s.CheckModels(sch, schemaModels...)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("schema does not match the models: %s", strings.Join(problems, "; "))
	}
	return nil
}
