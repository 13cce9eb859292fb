package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/riverqueue/river"
)

// The queue implements the service's Jobs port: the service enqueues and
// schedules its own jobs (closing proposals at their end time, expiring appeals,
// sending notifications) without knowing River.
var _ service.Jobs = (*Queue)(nil)

// Enqueue implements service.Jobs: job runs as soon as a worker is free. It is
// written in tx (see InsertTx) and exists if and only if tx commits.
func (q *Queue) Enqueue(ctx context.Context, tx *store.Store, job service.Job) error {
	return q.insertAt(ctx, tx, job, time.Time{})
}

// ScheduleAt implements service.Jobs: job runs at or after at (River's
// ScheduledAt; a time in the past runs at once). Like Enqueue it is written in tx,
// so a scheduled job survives restarts of every process: it is a row.
func (q *Queue) ScheduleAt(ctx context.Context, tx *store.Store, job service.Job, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("queue: schedule %s: no time given", job.Kind())
	}
	return q.insertAt(ctx, tx, job, at)
}

func (q *Queue) insertAt(ctx context.Context, tx *store.Store, job service.Job, at time.Time) error {
	p := river.InsertManyParams{Args: job}
	if !at.IsZero() {
		p.InsertOpts = &river.InsertOpts{ScheduledAt: at.UTC()}
	}
	var err error
	if sqlTx, ok := sqlTxOf(ctx, tx); ok {
		_, err = q.ins.InsertManyTx(ctx, sqlTx, []river.InsertManyParams{p})
	} else {
		_, err = q.ins.InsertMany(ctx, []river.InsertManyParams{p})
	}
	if err != nil {
		return fmt.Errorf("queue: insert %s: %w", job.Kind(), err)
	}
	return nil
}
