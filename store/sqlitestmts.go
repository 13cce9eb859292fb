package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"

	moderncsqlite "modernc.org/sqlite"
)

// stmtCacheSize bounds the prepared statements kept per SQLite connection. The
// inbox and processing paths run a few dozen distinct statements (gorm builds
// the same SQL text for the same call, River's are fixed); an IN (…) list of a
// new length is a new text, which the LRU order lets go first.
const stmtCacheSize = 256

// sqliteConnector opens SQLite connections that keep their statements prepared.
//
// Why: the pure-Go SQLite driver parses and plans a statement at every Exec or
// Query that is not a prepared statement, and gorm and River only ever send
// plain Exec/Query. That was ~23 % of the CPU of processing an inbound
// activity (README, "Where the time of an inbound activity goes"). gorm's own
// PrepareStmt mode would wrap the pool (River must join gorm's *sql.Tx) and
// share one prepared statement between a query whose rows are still open and
// the same query run again inside that loop; here a statement in use is never
// handed out twice, so such a nested query simply runs unprepared.
type sqliteConnector struct {
	base driver.Connector
}

func newSQLiteConnector(dsn string) (driver.Connector, error) {
	c, err := moderncsqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConnector{base: c}, nil
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	for _, iface := range []bool{
		is[driver.ConnBeginTx](conn), is[driver.ConnPrepareContext](conn), is[driver.ExecerContext](conn),
		is[driver.QueryerContext](conn), is[driver.Pinger](conn), is[driver.SessionResetter](conn), is[driver.Validator](conn),
	} {
		if !iface {
			conn.Close()
			return nil, fmt.Errorf("store: the SQLite driver's connection %T lacks an interface the statement cache forwards", conn)
		}
	}
	return &stmtCachingConn{conn: conn, stmts: make(map[string]*list.Element), lru: list.New()}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return c.base.Driver() }

func is[T any](v any) bool { _, ok := v.(T); return ok }

// stmtCachingConn is one SQLite connection with its prepared statements.
// database/sql uses a connection from one goroutine at a time (rows included),
// so the cache needs no lock.
type stmtCachingConn struct {
	conn  driver.Conn
	stmts map[string]*list.Element // of *cachedStmt, most recently used at the front
	lru   *list.List
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
	busy  bool // its rows are open: the statement is not handed out again until they close
}

// Unwrap returns the driver's connection (modernc.org/sqlite's Limit and
// friends look through wrappers this way).
func (c *stmtCachingConn) Unwrap() driver.Conn { return c.conn }

// statement returns the prepared statement for query, preparing and caching it
// on first use; nil when the cached one is in use (the caller runs the query
// unprepared then).
func (c *stmtCachingConn) statement(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	st, err := c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, stmt: st}
	c.stmts[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		if !c.evictOldest() {
			break
		}
	}
	return cs, nil
}

// evictOldest closes the least recently used statement not in use.
func (c *stmtCachingConn) evictOldest() bool {
	for e := c.lru.Back(); e != nil; e = e.Prev() {
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.drop(e)
			return true
		}
	}
	return false
}

// drop forgets a statement and finalizes it. A statement whose execution
// failed is dropped too: whatever state the failure left it in, the next use
// prepares it afresh.
func (c *stmtCachingConn) drop(e *list.Element) {
	cs := e.Value.(*cachedStmt)
	c.lru.Remove(e)
	delete(c.stmts, cs.query)
	_ = cs.stmt.Close()
}

func (c *stmtCachingConn) dropStmt(cs *cachedStmt) {
	if e, ok := c.stmts[cs.query]; ok && e.Value == cs {
		c.drop(e)
	}
}

func (c *stmtCachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	cs.busy = true
	res, err := cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	cs.busy = false
	if err != nil {
		c.dropStmt(cs)
	}
	return res, err
}

func (c *stmtCachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	cs.busy = true
	rows, err := cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		cs.busy = false
		c.dropStmt(cs)
		return nil, err
	}
	return &cachedRows{Rows: rows, conn: c, cs: cs}, nil
}

func (c *stmtCachingConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }
func (c *stmtCachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}
func (c *stmtCachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *stmtCachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}
func (c *stmtCachingConn) Ping(ctx context.Context) error { return c.conn.(driver.Pinger).Ping(ctx) }
func (c *stmtCachingConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}
func (c *stmtCachingConn) IsValid() bool { return c.conn.(driver.Validator).IsValid() }

// Close finalizes the cached statements, then closes the connection.
func (c *stmtCachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cachedStmt).stmt.Close())
	}
	c.lru.Init()
	clear(c.stmts)
	errs = append(errs, c.conn.Close())
	return errors.Join(errs...)
}

// cachedRows gives its statement back when closed, and forwards the column
// type interfaces of the driver's rows (gorm reads them to scan into maps).
type cachedRows struct {
	driver.Rows
	conn *stmtCachingConn
	cs   *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.cs != nil {
		r.cs.busy = false
		if err != nil {
			r.conn.dropStmt(r.cs)
		}
		r.cs = nil
	}
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.Rows.(driver.RowsColumnTypeDatabaseTypeName).ColumnTypeDatabaseTypeName(i)
}
func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	return r.Rows.(driver.RowsColumnTypeLength).ColumnTypeLength(i)
}
func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	return r.Rows.(driver.RowsColumnTypeNullable).ColumnTypeNullable(i)
}
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	return r.Rows.(driver.RowsColumnTypeScanType).ColumnTypeScanType(i)
}
func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.Rows.(driver.RowsColumnTypePrecisionScale).ColumnTypePrecisionScale(i)
}
