// Package store is the only package that talks to the database. It opens SQLite (the
// default, pure Go, no cgo) or PostgreSQL through gorm, applies versioned migrations
// (gormigrate), and exposes small query methods that return the sentinel errors
// below instead of driver errors, so the service layer never depends on a driver.
//
// State changes are conditional updates. A row with a lifecycle (a membership, a
// follow, a contribution, an inbound activity, a note's deletion) changes state
// only through Transition / TransitionIf / RemoveIf and the per-table methods
// built on them — UPDATE … WHERE id = ? AND state IN (…) with the affected rows
// checked — never by saving a copy read earlier, which would let two racing
// requests both "succeed" (a contribution both rejected and credited in the
// ledger). The loser gets ErrConflict, which package errs renders as 409; the
// service writes side effects (ledger entries, role log, activities) after the
// transition, in its transaction, so they happen once. Rules over several rows
// ("a community keeps a steward") take LockCommunity first.
//
// Decision: refusing a request (membership or follow), leaving, and undoing a
// follow delete the row rather than keep a final state, so the same actor can
// ask again; a racing request that no longer finds the row is answered 404,
// one that finds it changed 409.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// Sentinel errors. Callers use errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	// ErrConflict: a conditional transition found its row in a state it does not
	// apply to (another request changed it first). The service answers 409.
	// It is errs.ErrConflict, so that a conflict reaching a handler is a 409.
	ErrConflict = errs.ErrConflict
)

// Store wraps the gorm handle. Methods are grouped by table in this package's files.
type Store struct {
	DB     *gorm.DB
	Driver string // "sqlite" or "postgres"
	// actorsGen counts changes made by this process to anything an actor document
	// shows (actors, communities, memberships), so caches of rendered documents
	// know when to drop an entry (see ActorsGeneration).
	actorsGen *atomic.Int64
	// schema caches the outcome of the schema check of Ready (schema.go).
	schema *schemaCheck
	// reader is SQLite's read pool (nil on PostgreSQL and for in-memory databases).
	reader *sql.DB
	// actors answers ActorByURI from memory (actorcache.go).
	actors *actorCache
	// inTx: s is bound to a transaction; txActors records that it changed an actor.
	inTx     bool
	txActors *atomic.Bool
	// uow: s is a unit of work or a transaction nested in one (unitofwork.go).
	uow *uowState
}

// ActorsGeneration changes whenever this process changes an actor, a community or
// a membership: when the change is made, and again when its transaction
// commits (a cache filled from the committed rows in between is dropped).
func (s *Store) ActorsGeneration() int64 { return s.actorsGen.Load() }

// actorsChanged moves the actors generation, and once more at the commit of
// the transaction s (or ctx's unit of work) is bound to.
func (s *Store) actorsChanged(ctx context.Context) {
	s.actorsGen.Add(1)
	if tx := s.bound(ctx); tx != nil && tx.txActors != nil {
		tx.txActors.Store(true)
	}
}

// Options selects the database.
type Options struct {
	Driver       string
	DSN          string
	MaxOpenConns int
	Logger       *slog.Logger
}

// openSQLite opens a pool of SQLite connections that keep their statements
// prepared (sqlitestmts.go).
func openSQLite(dsn string) (*sql.DB, error) {
	c, err := newSQLiteConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// SQLiteReaders is the size of SQLite's read pool (see Open).
const SQLiteReaders = 4

// Open connects. For SQLite the DSN is a file path (its folder is created) to which
// the WAL, busy-timeout and foreign-key pragmas are added.
//
// SQLite has one writer: writes, transactions and the job queue share one
// connection, so writers queue in Go instead of in busy-retry loops. Reads
// outside a transaction go to a pool of SQLiteReaders read-only connections
// beside it (gorm's dbresolver routes SELECTs there), which WAL lets read while
// the writer writes: an actor GET, a WebFinger or the inbox's lookups never
// wait behind the queue's workers. The read pool is query_only: a write
// routed there by mistake fails instead of racing the writer.
func Open(opts Options) (*Store, error) {
	gcfg := &gorm.Config{
		// One INSERT per Create, not BEGIN/INSERT/COMMIT: it halves write throughput
		// otherwise (FACTS.md). Multi-statement changes use s.Tx explicitly.
		SkipDefaultTransaction: true,
		TranslateError:         true,
		// No PrepareStmt: gorm would wrap the pool, and the queue could no longer
		// join a transaction (it needs the *sql.Tx). On SQLite the connections
		// keep their statements prepared themselves (sqlitestmts.go); pgx caches
		// them per connection on PostgreSQL.
		Logger:  logger.Discard,
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	var (
		db     *gorm.DB
		err    error
		reader *sql.DB
	)
	switch opts.Driver {
	case "sqlite":
		dsn := opts.DSN
		memory := strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
		if !strings.HasPrefix(dsn, "file:") && !memory {
			if err := os.MkdirAll(filepath.Dir(dsn), 0o750); err != nil {
				return nil, fmt.Errorf("store: create data folder: %w", err)
			}
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		// _time_format=sqlite writes times as the previous driver (glebarez/go-sqlite)
		// did, so databases it wrote keep comparing and sorting the same.
		common := dsn + sep + "_pragma=busy_timeout(10000)&_time_format=sqlite"
		var writer *sql.DB
		writer, err = openSQLite(common + "&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(memory)&_txlock=immediate")
		if err == nil {
			writer.SetMaxOpenConns(1)
			if db, err = gorm.Open(sqlite.New(sqlite.Config{Conn: writer}), gcfg); err != nil {
				writer.Close()
			}
		}
		if err == nil && !memory {
			reader, err = openSQLite(common + "&_pragma=query_only(1)")
			if err == nil {
				reader.SetMaxOpenConns(SQLiteReaders)
				reader.SetMaxIdleConns(SQLiteReaders)
				reader.SetConnMaxIdleTime(5 * time.Minute)
				err = db.Use(dbresolver.Register(dbresolver.Config{
					Replicas: []gorm.Dialector{sqlite.New(sqlite.Config{Conn: reader})},
				}))
			}
		}
	case "postgres":
		db, err = gorm.Open(postgres.Open(opts.DSN), gcfg)
	default:
		return nil, fmt.Errorf("store: unknown driver %q", opts.Driver)
	}
	if err != nil {
		if reader != nil {
			reader.Close()
		}
		return nil, fmt.Errorf("store: open %s: %w", opts.Driver, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if opts.Driver == "sqlite" {
		sqlDB.SetMaxOpenConns(1)
		var v string
		if err := sqlDB.QueryRow("select sqlite_version()").Scan(&v); err != nil {
			return nil, fmt.Errorf("store: sqlite: %w", err)
		}
	} else {
		n := opts.MaxOpenConns
		if n < 1 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.Ping(); err != nil {
		return nil, fmt.Errorf("store: ping %s: %w", opts.Driver, err)
	}
	return &Store{DB: db, Driver: opts.Driver, reader: reader, actorsGen: new(atomic.Int64), schema: new(schemaCheck),
		actors: new(actorCache)}, nil
}

// SQL returns the underlying *sql.DB (the job queue shares it).
func (s *Store) SQL() *sql.DB {
	d, _ := s.DB.DB()
	return d
}

// Close closes the pools.
func (s *Store) Close() error {
	if s.reader != nil {
		s.reader.Close()
	}
	return s.SQL().Close()
}

// Tx runs fn in a transaction with a Store bound to it.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	if u := s.uowFor(ctx); u != nil {
		return u.nestedTx(ctx, fn) // nested in the unit of work (unitofwork.go)
	}
	if !s.inTx {
		if u := UnitOfWork(ctx); u != nil {
			return u.Tx(ctx, fn) // nested in the unit of work (unitofwork.go)
		}
	}
	changed, outer := s.txActors, false
	if changed == nil { // not nested: this transaction commits
		changed, outer = new(atomic.Bool), true
	}
	err := s.DB.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Store{DB: db, Driver: s.Driver, actorsGen: s.actorsGen, schema: s.schema, reader: s.reader,
			actors: s.actors, inTx: true, txActors: changed})
	})
	if outer && changed.Load() {
		s.actorsGen.Add(1)
	}
	return err
}

// Guard is what a row must look like for a transition to apply, column by column:
// a value means "column = value", a []string means "column IN (…)".
type Guard map[string]any

// Transition moves the row of model with primary key id from one of the states in
// from to the state to, setting the columns in extra too, in one conditional
// UPDATE … WHERE id = ? AND state IN (…). It is how every state-bearing row
// (memberships, follows, contributions, inbound activities) changes state, never a
// full-row save of something read earlier: of two racing transitions only one
// can match (PostgreSQL re-checks the WHERE of the second once the first
// commits; SQLite serialises writers), so side effects written after a
// successful Transition in the same transaction happen at most once.
// ErrConflict when the row is in another state, ErrNotFound when there is none.
func (s *Store) Transition(ctx context.Context, model any, id string, from []string, to string, extra map[string]any) error {
	set := map[string]any{"state": to}
	for k, v := range extra {
		set[k] = v
	}
	return s.TransitionIf(ctx, model, id, Guard{"state": from}, set)
}

// TransitionIf is Transition with any guard (e.g. a role as well as a state).
func (s *Store) TransitionIf(ctx context.Context, model any, id string, guard Guard, set map[string]any) error {
	q := s.guarded(ctx, model, id, guard)
	res := q.Updates(set)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missingOrConflict(ctx, model, id)
	}
	return nil
}

// RemoveIf deletes the row of model with id if it matches guard (nil: any row):
// the transition to "gone" of a refused request, a left membership, an undone
// follow. ErrConflict when the row no longer matches, ErrNotFound when it is gone.
func (s *Store) RemoveIf(ctx context.Context, model any, id string, guard Guard) error {
	res := s.guarded(ctx, model, id, guard).Delete(model)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missingOrConflict(ctx, model, id)
	}
	return nil
}

func (s *Store) guarded(ctx context.Context, model any, id string, guard Guard) *gorm.DB {
	q := s.with(ctx).Model(model).Where("id = ?", id)
	for col, v := range guard {
		if list, ok := v.([]string); ok {
			q = q.Where(col+" IN ?", list)
		} else {
			q = q.Where(col+" = ?", v)
		}
	}
	return q
}

func (s *Store) missingOrConflict(ctx context.Context, model any, id string) error {
	var n int64
	if err := s.with(ctx).Model(model).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return ErrConflict
}

// with binds the context.
func (s *Store) with(ctx context.Context) *gorm.DB {
	if !s.inTx {
		if u := UnitOfWork(ctx); u != nil {
			return u.DB.WithContext(ctx)
		}
	}
	return s.DB.WithContext(ctx)
}

// translate maps driver errors onto the sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", ErrExists, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "duplicate key value") {
		return fmt.Errorf("%w: %v", ErrExists, err)
	}
	return err
}
