package store

import (
	"context"
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
type uowKey struct{}

// WithUnitOfWork returns ctx bound to tx (a Store passed in by Tx).
func WithUnitOfWork(ctx context.Context, tx *Store) context.Context {
	if tx == nil || !tx.inTx {
		return ctx
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
