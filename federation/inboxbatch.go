package federation

import (
	"context"

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

// inboxBatcher commits accepted inbox activities in groups: each request waits
// until its activity and processing job are committed (so a 202 is durable), but
// requests arriving together share one transaction — one multi-row INSERT and one
// batched job insert instead of a transaction each. Under low load a batch is one
// activity and adds no wait; under load batches form while the previous commits.
// The activities of a batch get processing jobs of up to maxJobActivities each.
type inboxBatcher struct {
	st *store.Store
	q  *queue.Queue
	ch chan *inboxItem
}

type inboxItem struct {
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
	b := &inboxBatcher{st: st, q: q, ch: make(chan *inboxItem, maxInboxBatch*4)}
	n := 1
	if st.Driver == "postgres" {
		n = 4
	}
	for i := 0; i < n; i++ {
		go b.run()
	}
	return b
}

// store queues row for the next commit and waits for it.
func (b *inboxBatcher) store(ctx context.Context, row models.Activity) (duplicate bool, err error) {
	it := &inboxItem{row: row, done: make(chan inboxResult, 1)}
	select {
	case b.ch <- it:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	select {
	case r := <-it.done:
		return r.duplicate, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

func (b *inboxBatcher) run() {
	batch := make([]*inboxItem, 0, maxInboxBatch)
	for first := range b.ch {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxInboxBatch {
			select {
			case it := <-b.ch:
				batch = append(batch, it)
			default:
				break fill
			}
		}
		b.commit(batch)
	}
}

func (b *inboxBatcher) commit(batch []*inboxItem) {
	rows := make([]models.Activity, len(batch))
	for i, it := range batch {
		rows[i] = it.row
	}
	var inserted map[string]bool
	ctx := context.Background()
	err := b.st.Tx(ctx, func(tx *store.Store) error {
		var err error
		if inserted, err = tx.InsertActivities(ctx, rows); err != nil {
			return err
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
		return b.q.InsertTx(ctx, tx, jobs...)
	})
	for _, it := range batch {
		if err != nil {
			it.done <- inboxResult{err: err}
		} else {
			it.done <- inboxResult{duplicate: !inserted[it.row.ID]}
		}
	}
}
