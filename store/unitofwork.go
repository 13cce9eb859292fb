package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// A unit of work lets a caller run several service calls in one transaction
// without changing their signatures: WithUnitOfWork binds a transaction's
// Store to a context, and every Store method called with that context — on
// any Store of the instance, not only the bound one — runs inside it: reads
// and writes through with(ctx), and Tx(ctx, fn) as a nested transaction (a
// SAVEPOINT, so fn's failure rolls back fn's writes only, as its own
// transaction would have). The queue's Insert joins it too (queue.Queue).
//
// It exists for the inbound processing job (federation/process.go): one
// transaction per batch of activities instead of two or three per activity,
// while a local action and the same action arriving over federation still go
// through one service call. While a unit of work is open on SQLite it holds
// the only writer connection: nothing called with its context may wait for
// another connection or the network (fetch.Offline refuses fetches).
//
// A unit of work saves the savepoints that change nothing (uowState): a Tx
// opened while nothing was written since the innermost savepoint reuses that
// savepoint instead of taking its own — rolling back to it restores exactly
// the state at the Tx's start. In the processing job each activity runs in a
// savepoint and the service's Tx (and the store's Tx inside it, CreateNote's)
// used to take two more per activity: three statements where one does.
type uowKey struct{}

// WithUnitOfWork returns ctx bound to tx (a Store passed in by Tx). tx
// becomes the unit of work: its statements, and those of every Store called
// with the returned context, are watched for writes (see uowState).
func WithUnitOfWork(ctx context.Context, tx *Store) context.Context {
	if tx == nil || !tx.inTx {
		return ctx
	}
	if tx.uow == nil {
		if raw, ok := tx.DB.Statement.ConnPool.(*sql.Tx); ok {
			u := &uowState{tx: raw}
			c := tx.DB.Statement.Context
			if c == nil {
				c = ctx
			}
			db := tx.DB.WithContext(c) // a copy of the statement: tx.DB's own is left alone
			db.Statement.ConnPool = &trackedTx{Tx: raw, u: u}
			tx.DB, tx.uow = db, u
		}
	}
	return context.WithValue(ctx, uowKey{}, tx)
}

// UnitOfWork returns the transaction bound to ctx, or nil.
func UnitOfWork(ctx context.Context) *Store {
	tx, _ := ctx.Value(uowKey{}).(*Store)
	return tx
}

// bound returns the transaction s's methods use for ctx: s itself when s is
// bound to one, else the unit of work of ctx, else nil.
func (s *Store) bound(ctx context.Context) *Store {
	if s.inTx {
		return s
	}
	return UnitOfWork(ctx)
}

// uowFor is the unit of work a Tx of s with ctx nests in: s's own, or ctx's
// when s is not in a transaction or is in the same one (the job's own Store).
func (s *Store) uowFor(ctx context.Context) *Store {
	if s.uow != nil {
		return s
	}
	u := UnitOfWork(ctx)
	if u == nil || u.uow == nil {
		return nil
	}
	if !s.inTx {
		return u
	}
	if raw, ok := s.DB.Statement.ConnPool.(*sql.Tx); ok && raw == u.uow.tx {
		return u
	}
	return nil
}

// nestedTx runs fn as a nested transaction of the unit of work s: in a
// SAVEPOINT of its own, or in the innermost one when nothing was written
// since it was taken (the state a rollback to it restores is then the
// state at fn's start).
func (s *Store) nestedTx(ctx context.Context, fn func(tx *Store) error) (err error) {
	u := s.uow
	db := s.DB.WithContext(ctx)
	inner := &Store{DB: db, Driver: s.Driver, actorsGen: s.actorsGen, schema: s.schema, reader: s.reader,
		actors: s.actors, inTx: true, txActors: s.txActors, uow: u}
	sp := u.clean()
	if sp == "" {
		u.seq++
		sp = fmt.Sprintf("uow%d", u.seq)
		if err := db.SavePoint(sp).Error; err != nil {
			return err
		}
		u.push(sp)
		defer u.pop(sp)
	}
	panicked := true
	defer func() {
		if panicked || err != nil {
			db.RollbackTo(sp)
			u.rolledBack(sp)
		}
	}()
	err = fn(inner)
	panicked = false
	return err
}

// uowState is what a unit of work knows of its transaction: its live
// savepoints, innermost last, each with whether anything was written since it
// was taken. Every statement of the transaction passes through trackedTx;
// one that may write (anything but a plain SELECT, or the queue taking the
// *sql.Tx to insert jobs: SQLTx) marks them all written. A unit of work is
// used by one goroutine at a time (the job's), like its transaction.
type uowState struct {
	tx     *sql.Tx
	seq    int
	frames []uowFrame
	// Reads the processing of every inbound note repeats, answered once per
	// unit of work: the local followers of an actor (LocalFollowerIDs) and
	// whether one actor blocked another (IsBlocked). A write that may change
	// one (any statement naming its table, or one gorm does not show) and a
	// rollback to a savepoint forget them. Another transaction's change
	// committed meanwhile is seen by the next unit of work, as if the batch
	// had run a few milliseconds earlier.
	followers map[string][]string
	blocked   map[string]bool
	// absentNotes are note URIs read as absent for the whole unit of work
	// (KnowNotes), which NoteByURI then answers without a query. Only an
	// INSERT makes a note exist: CreateNote drops its URI before inserting
	// (creatingNote), and any other write naming the notes table forgets them
	// all.
	absentNotes map[string]bool
	noteInsert  bool
}

type uowFrame struct {
	name    string
	written bool
}

// clean is the innermost savepoint when nothing was written since it, or "".
func (u *uowState) clean() string {
	if n := len(u.frames); n > 0 && !u.frames[n-1].written {
		return u.frames[n-1].name
	}
	return ""
}

func (u *uowState) push(name string) { u.frames = append(u.frames, uowFrame{name: name}) }

func (u *uowState) pop(name string) {
	if n := len(u.frames); n > 0 && u.frames[n-1].name == name {
		u.frames = u.frames[:n-1]
	}
}

// rolledBack: the transaction is back at savepoint name; what was written
// since is gone.
func (u *uowState) rolledBack(name string) {
	u.followers, u.blocked = nil, nil
	for i := len(u.frames) - 1; i >= 0; i-- {
		if u.frames[i].name == name {
			u.frames[i].written = false
			u.frames = u.frames[:i+1]
			break
		}
	}
}

func (u *uowState) wrote() {
	for i := range u.frames {
		u.frames[i].written = true
	}
}

// statement records query, run in the transaction.
func (u *uowState) statement(query string) {
	if !readOnly(query) {
		u.wrote()
		if strings.Contains(query, "follows") || strings.Contains(query, "actors") {
			u.followers = nil
		}
		if strings.Contains(query, "blocks") {
			u.blocked = nil
		}
		if strings.Contains(query, "notes") {
			if !u.noteInsert || !strings.HasPrefix(strings.TrimSpace(query), "INSERT") {
				u.absentNotes = nil
			}
			u.noteInsert = false
		}
	}
}

// creatingNote: CreateNote's next statement inserts the note uri.
func (u *uowState) creatingNote(uri string) {
	delete(u.absentNotes, uri)
	u.noteInsert = true
}

// uowState returns the unit of work s's methods run in for ctx, or nil.
func (s *Store) uowState(ctx context.Context) *uowState {
	if u := s.uowFor(ctx); u != nil {
		return u.uow
	}
	return nil
}

// localFollowers is LocalFollowerIDs as read before in this unit of work.
func (u *uowState) localFollowers(target string) ([]string, bool) {
	ids, ok := u.followers[target]
	return slices.Clone(ids), ok
}

func (u *uowState) keepLocalFollowers(target string, ids []string) {
	if u.followers == nil {
		u.followers = map[string][]string{}
	}
	u.followers[target] = slices.Clone(ids)
}

// isBlocked is IsBlocked as read before in this unit of work.
func (u *uowState) isBlocked(actor, target string) (blocked, ok bool) {
	blocked, ok = u.blocked[actor+"\x00"+target]
	return blocked, ok
}

func (u *uowState) keepBlocked(actor, target string, blocked bool) {
	if u.blocked == nil {
		u.blocked = map[string]bool{}
	}
	u.blocked[actor+"\x00"+target] = blocked
}

// readOnly reports whether query neither writes nor locks: a SELECT without
// FOR UPDATE/SHARE (a lock taken after a savepoint is released by a rollback
// to it), or a savepoint statement of ours. Anything else counts as a write.
func readOnly(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch {
	case strings.EqualFold(q[:6], "SELECT"):
		return !containsFold(q, " FOR ")
	case hasPrefixFold(q, "SAVEPOINT "), hasPrefixFold(q, "ROLLBACK TO "), hasPrefixFold(q, "RELEASE "):
		return true
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// containsFold is strings.Contains ignoring ASCII case, without copying s
// (every statement of a unit of work passes here).
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// trackedTx is the unit of work's *sql.Tx as gorm's connection pool: it sees
// every statement gorm runs in the transaction.
type trackedTx struct {
	*sql.Tx
	u *uowState
}

func (t *trackedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.u.statement(query)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *trackedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.u.statement(query)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *trackedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.u.statement(query)
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *trackedTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	t.u.statement("PREPARE follows actors blocks notes") // what it will run is not known here: a write to anything
	return t.Tx.PrepareContext(ctx, query)
}

// SQLTx returns the *sql.Tx behind a gorm connection pool (a Store's
// DB.Statement.ConnPool) when it is a transaction, for the job queue to
// insert its jobs in. In a unit of work that counts as a write: the jobs are
// rows a rollback to an earlier savepoint would remove.
func SQLTx(pool gorm.ConnPool) (*sql.Tx, bool) {
	switch p := pool.(type) {
	case *sql.Tx:
		return p, true
	case *trackedTx:
		p.u.wrote()
		return p.Tx, true
	}
	return nil, false
}
