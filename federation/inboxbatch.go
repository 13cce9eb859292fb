package federation

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/store"
)

// maxInboxBatch bounds one group commit.
const maxInboxBatch = 256

// maxJobActivities bounds the activities of one processing job: a batch is
// worked by one worker, one activity after the other, so a larger one would
// leave the other workers idle (PostgreSQL) and make a retried job long.
const maxJobActivities = 32

// inboxLinger bounds how long a commit waits for the rows of requests still
// being checked (see inboxBatcher). A few milliseconds: far below the inbox's
// p99 target (50 ms), far above the ~0.1–0.3 ms a check takes.
const inboxLinger = 3 * time.Millisecond

// inboxBatcher commits accepted inbox activities in groups: each request waits
// until its activity and processing job are committed (so a 202 is durable), but
// requests arriving together share one transaction — one multi-row INSERT and one
// batched job insert instead of a transaction each. Under low load a batch is one
// activity and adds no wait.
//
// Under load a batch also waits, at most inboxLinger, for the requests that
// hold an inbox slot and are still being checked (announce): on one core the
// committer would otherwise take the first row as soon as it arrives and run
// its commit while the other requests' checks wait for the CPU, so batches
// stayed at one or two rows and the per-commit cost (BEGIN, the job insert,
// COMMIT: ~0.6 ms on SQLite) was paid by nearly every activity.
//
// The activities of a batch get processing jobs of up to maxJobActivities each.
// A failed batch answers every request of it with the error (nothing of it is
// stored: one transaction); a request whose context ended before its batch
// began is left out of it and answered with the context's error.
type inboxBatcher struct {
	st *store.Store
	q  *queue.Queue
	ch chan *inboxItem
	// coming counts requests that announced a row and have not handed it
	// over (or withdrawn) yet.
	coming atomic.Int64
	linger time.Duration
	// write stores rows and their jobs in tx; tests replace it to make a
	// batch fail after its rows were written.
	write func(ctx context.Context, tx *store.Store, rows []models.Activity) (inserted map[string]bool, err error)
}

type inboxItem struct {
	ctx  context.Context
	row  models.Activity
	done chan inboxResult
}

type inboxResult struct {
	duplicate bool
	err       error
}

// newInboxBatcher starts committers: one on SQLite (a single writer anyway), a few
// on PostgreSQL. They live as long as the process.
func newInboxBatcher(st *store.Store, q *queue.Queue) *inboxBatcher {
	b := &inboxBatcher{st: st, q: q, ch: make(chan *inboxItem, maxInboxBatch*4), linger: inboxLinger}
	b.write = b.writeRows
	n := 1
	if st.Driver == "postgres" {
		n = 4
	}
	for i := 0; i < n; i++ {
		go b.run()
	}
	return b
}

// announcement is a request's promise of a row: the committer waits briefly
// for announced rows. Exactly one of store or withdraw ends it; withdraw after
// store does nothing, so a handler may defer it.
type announcement struct {
	b    *inboxBatcher
	done bool
}

// announce tells the committer a row is on its way (the request holds a slot
// and its checks are running).
func (b *inboxBatcher) announce() *announcement {
	b.coming.Add(1)
	return &announcement{b: b}
}

func (a *announcement) withdraw() {
	if !a.done {
		a.done = true
		a.b.coming.Add(-1)
	}
}

// store queues row for the next commit and waits for it. A request cancelled
// after it handed its row over may still see the row committed: the sender's
// retry then finds it by id ("already received"), so nothing is lost or doubled.
func (b *inboxBatcher) store(ctx context.Context, row models.Activity, a *announcement) (duplicate bool, err error) {
	it := &inboxItem{ctx: ctx, row: row, done: make(chan inboxResult, 1)}
	defer a.withdraw()
	select {
	case b.ch <- it:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	a.withdraw() // handed over: the committer sees it in the channel
	select {
	case r := <-it.done:
		return r.duplicate, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

func (b *inboxBatcher) run() {
	batch := make([]*inboxItem, 0, maxInboxBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for first := range b.ch {
		batch = append(batch[:0], first)
		var deadline time.Time
		idle := 0
	fill:
		for len(batch) < maxInboxBatch {
			select {
			case it := <-b.ch:
				batch = append(batch, it)
				idle = 0
				continue
			default:
			}
			if deadline.IsZero() {
				deadline = time.Now().Add(b.linger)
			}
			if b.coming.Load() <= 0 {
				// Nobody announced a row, but requests may be runnable
				// and not yet in the handler (one core: they wait for
				// this goroutine). Yield to them, while that brings rows.
				if idle++; idle > 2 || time.Now().After(deadline) {
					break
				}
				runtime.Gosched()
				continue
			}
			// Requests are still being checked: let them run and wait for
			// their rows, up to the linger.
			wait := time.Until(deadline)
			if wait <= 0 {
				break
			}
			timer.Reset(wait)
			select {
			case it := <-b.ch:
				timer.Stop()
				batch = append(batch, it)
			case <-timer.C:
				break fill
			}
		}
		b.commit(batch)
	}
}

// commit writes the rows of batch whose request is still waiting in one
// transaction and answers every request of it.
func (b *inboxBatcher) commit(batch []*inboxItem) {
	live := batch[:0:0]
	rows := make([]models.Activity, 0, len(batch))
	for _, it := range batch {
		if err := it.ctx.Err(); err != nil {
			it.done <- inboxResult{err: err}
			continue
		}
		live = append(live, it)
		rows = append(rows, it.row)
	}
	if len(rows) == 0 {
		return
	}
	var inserted map[string]bool
	ctx := context.Background()
	err := b.st.Tx(ctx, func(tx *store.Store) error {
		var err error
		inserted, err = b.write(ctx, tx, rows)
		return err
	})
	for _, it := range live {
		if err != nil {
			it.done <- inboxResult{err: err}
		} else {
			it.done <- inboxResult{duplicate: !inserted[it.row.ID]}
		}
	}
}

// writeRows inserts rows (skipping known ids) and one processing job per
// maxJobActivities of the inserted ones, in tx.
func (b *inboxBatcher) writeRows(ctx context.Context, tx *store.Store, rows []models.Activity) (map[string]bool, error) {
	inserted, err := tx.InsertActivities(ctx, rows)
	if err != nil {
		return nil, err
	}
	var jobs []queue.Job
	var ids []string
	for _, r := range rows {
		if !inserted[r.ID] {
			continue
		}
		if ids = append(ids, r.ID); len(ids) == maxJobActivities {
			jobs, ids = append(jobs, ProcessInbox{ActivityIDs: ids}), nil
		}
	}
	if len(ids) > 0 {
		jobs = append(jobs, ProcessInbox{ActivityIDs: ids})
	}
	return inserted, b.q.InsertFastTx(ctx, tx, jobs...)
}
