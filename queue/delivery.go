package queue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
)

// KindDelivery is the job kind of Delivery.
const KindDelivery = "delivery"

// Delivery is one signed POST of one of our activities to one inbox.
type Delivery struct {
	ActivityID string `json:"activity_id" river:"unique"` // our activity id (ActivitySource key)
	ActorID    string `json:"actor_id"`                   // the local actor who signs
	Inbox      string `json:"inbox" river:"unique"`       // target URL
	Host       string `json:"host"`                       // Inbox's host[:port], for limits and filters

	// A delivery that failed inside a DeliveryBatch is split out to a Delivery
	// of its own; Prior is the attempts it already had there (they count
	// towards MaxAttempts and show in the admin views) and PriorError the last
	// one's error. Final: that failure was final (410, blocked domain …): the
	// job is cancelled with PriorError without a request, so the admin views
	// show it like any cancelled delivery.
	Prior      int    `json:"prior,omitempty"`
	PriorError string `json:"prior_error,omitempty"`
	Final      bool   `json:"final,omitempty"`
}

// Kind implements Job.
func (Delivery) Kind() string { return KindDelivery }

// InsertOpts makes deliveries unique by activity and inbox: enqueueing the same
// activity to the same inbox again while one is pending or after it completed is
// a no-op (so is splitting a failed one out of a batch when a job of its own
// already delivered it).
func (Delivery) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ActivitySource gives the JSON of one of our stored activities.
type ActivitySource interface {
	ActivityJSON(ctx context.Context, id string) ([]byte, error)
}

// Poster signs body as actorID and POSTs it to inbox, returning the HTTP status
// (0 with err for a network error) and the Retry-After the server asked for, if any.
type Poster interface {
	Post(ctx context.Context, actorID, inbox string, body []byte) (status int, retryAfter time.Duration, err error)
}

// NewDelivery builds the job for one inbox; it fails on a URL without a host.
func NewDelivery(activityID, actorID, inbox string) (Delivery, error) {
	u, err := url.Parse(strings.TrimSpace(inbox))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Delivery{}, fmt.Errorf("queue: bad inbox URL %q", inbox)
	}
	return Delivery{ActivityID: activityID, ActorID: actorID, Inbox: u.String(), Host: strings.ToLower(u.Host)}, nil
}

// fanOutBatch is the number of jobs per INSERT.
const fanOutBatch = 1000

// DeliveryBatchSize is the most inboxes one DeliveryBatch job carries. River's
// per-job SQL (insert, fetch, complete: ~1.6 ms of CPU on SQLite when it was
// measured, before the driver kept statements prepared) is paid once per batch
// instead of once per inbox; 32 makes it ~50 µs per delivery, against ~25 µs to ~1 ms of
// signing, and a batch of slow hosts still ends well within JobTimeout.
const DeliveryBatchSize = 32

// batchParallel is how many POSTs of one batch are in flight at once.
const batchParallel = 16

// KindDeliveryBatch is the job kind of DeliveryBatch.
const KindDeliveryBatch = "delivery_batch"

// DeliveryBatch is one activity's POSTs to several inboxes (FanOut groups up to
// DeliveryBatchSize per job). Each inbox gets its own attempt, per-host slot and
// dead-host check; one that does not succeed is split out to a Delivery job of
// its own (with its own retries and backoff) in the transaction that completes
// the batch, so a failing inbox never makes the others be sent again.
type DeliveryBatch struct {
	ActivityID string   `json:"activity_id"`
	ActorID    string   `json:"actor_id"`
	Inboxes    []string `json:"inboxes"`
	Hosts      []string `json:"hosts"` // Inboxes[i]'s host[:port], for limits and filters
}

// Kind implements Job.
func (DeliveryBatch) Kind() string { return KindDeliveryBatch }

// InsertOpts: the same fan-out enqueued twice is one batch.
func (DeliveryBatch) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func (b DeliveryBatch) delivery(i int) Delivery {
	return Delivery{ActivityID: b.ActivityID, ActorID: b.ActorID, Inbox: b.Inboxes[i], Host: b.Hosts[i]}
}

// batchOutput is what a completed DeliveryBatch records (River's job output):
// the indexes of the inboxes split out to Delivery jobs of their own. The admin
// views count and list a batch's other inboxes as its own state.
type batchOutput struct {
	Split []int `json:"split"`
}

// FanOut enqueues the deliveries of one activity to each distinct inbox (callers
// pass a server's shared inbox instead of its actors' inboxes where one is
// advertised) inside tx, the transaction that stored the activity: one Delivery
// job for a single inbox, DeliveryBatch jobs of up to DeliveryBatchSize inboxes
// otherwise. Invalid URLs are logged and skipped. It returns the number of
// distinct inboxes enqueued.
func (q *Queue) FanOut(ctx context.Context, tx *store.Store, activityID, actorID string, inboxes []string) (int, error) {
	seen := make(map[string]struct{}, len(inboxes))
	ds := make([]Delivery, 0, len(inboxes))
	for _, in := range inboxes {
		d, err := NewDelivery(activityID, actorID, in)
		if err != nil {
			q.log.Warn("skipping inbox", "inbox", in, "activity", activityID)
			continue
		}
		if _, dup := seen[d.Inbox]; dup {
			continue
		}
		seen[d.Inbox] = struct{}{}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return 0, nil
	}
	var params []river.InsertManyParams
	if len(ds) == 1 {
		params = []river.InsertManyParams{{Args: ds[0]}}
	} else {
		params = make([]river.InsertManyParams, 0, (len(ds)+DeliveryBatchSize-1)/DeliveryBatchSize)
		for i := 0; i < len(ds); i += DeliveryBatchSize {
			chunk := ds[i:min(i+DeliveryBatchSize, len(ds))]
			b := DeliveryBatch{ActivityID: activityID, ActorID: actorID,
				Inboxes: make([]string, len(chunk)), Hosts: make([]string, len(chunk))}
			for j, d := range chunk {
				b.Inboxes[j], b.Hosts[j] = d.Inbox, d.Host
			}
			params = append(params, river.InsertManyParams{Args: b})
		}
	}
	insert := func(tx *store.Store) error {
		sqlTx, ok := sqlTxOf(ctx, tx)
		if !ok {
			return errors.New("queue: FanOut needs a transaction")
		}
		for i := 0; i < len(params); i += fanOutBatch {
			if _, err := q.ins.InsertManyTx(ctx, sqlTx, params[i:min(i+fanOutBatch, len(params))]); err != nil {
				return fmt.Errorf("queue: fan out: %w", err)
			}
		}
		return nil
	}
	var err error
	if _, ok := sqlTxOf(ctx, tx); ok {
		err = insert(tx)
	} else {
		if tx == nil {
			tx = q.st
		}
		err = tx.Tx(ctx, insert)
	}
	if err != nil {
		return 0, err
	}
	return len(ds), nil
}

// RegisterDelivery installs the delivery workers (Delivery and DeliveryBatch).
// Call it before Start.
func (q *Queue) RegisterDelivery(src ActivitySource, p Poster) error {
	if err := AddWorker(q, func(ctx context.Context, d Delivery) error { return q.deliver(ctx, src, p, d) }); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := river.AddWorkerSafely[DeliveryBatch](q.workers, &batchWorker{q: q, src: src, p: p}); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	q.kinds++
	return nil
}

// MaxRetryAfter caps how long a server's Retry-After can push a delivery back.
const MaxRetryAfter = 6 * time.Hour

// Delivery outcomes.
var (
	ErrHostDown = errors.New("host is down")
)

// priorAttempts is the attempts a split-out delivery had in its batch.
func (d Delivery) priorAttempts() int { return d.Prior }

func (q *Queue) deliver(ctx context.Context, src ActivitySource, p Poster, d Delivery) error {
	if d.Final {
		return Permanent(errors.New(d.PriorError))
	}
	if d.Host == "" {
		nd, err := NewDelivery(d.ActivityID, d.ActorID, d.Inbox)
		if err != nil {
			return Permanent(err)
		}
		d.Host = nd.Host
	}
	body, err := src.ActivityJSON(ctx, d.ActivityID)
	if errors.Is(err, store.ErrNotFound) {
		return Permanent(fmt.Errorf("activity %s: %w", d.ActivityID, err))
	}
	if err != nil {
		return err
	}
	return q.attempt(ctx, p, body, d, q.opts.HostWait).jobError()
}

// result is the outcome of one delivery attempt.
type result struct {
	err        error         // nil: delivered
	final      bool          // err is final: do not retry
	snooze     time.Duration // the host was busy: try again after this (not an attempt)
	retryAfter time.Duration // the next attempt not before this
	notTried   bool          // a batch ran out of time before this one
}

// jobError is r as a job handler's error.
func (r result) jobError() error {
	switch {
	case r.err == nil:
		return nil
	case r.snooze > 0:
		return Snooze(r.snooze)
	case r.final:
		return Permanent(r.err)
	case r.retryAfter > 0:
		return RetryAfter(r.retryAfter, r.err)
	}
	return r.err
}

// attempt makes one delivery: a slot of its host, waiting up to wait (or a
// snooze when busy, a retry later when the host is down), then the signed POST,
// classified.
func (q *Queue) attempt(ctx context.Context, p Poster, body []byte, d Delivery, wait time.Duration) result {
	release, err := q.hosts.acquire(ctx, d.Host, wait)
	switch {
	case errors.Is(err, errHostBusy):
		s := q.opts.HostBusySnooze
		return result{err: err, snooze: s + rand.N(s/2+1)}
	case err != nil:
		var dead *hostDeadError
		if errors.As(err, &dead) {
			return result{err: fmt.Errorf("%w: %s (%d failures in a row)", ErrHostDown, d.Host, dead.failures), retryAfter: time.Until(dead.until)}
		}
		return result{err: err}
	}
	status, retryAfter, err := p.Post(ctx, d.ActorID, d.Inbox, body)
	outcome := classify(status, err)
	// A refusal of ours (a blocked domain) says nothing about the host.
	release(outcome == outcomeHostFailure && ctx.Err() == nil && !IsPermanent(err))
	switch {
	case err != nil && status == 0:
		return result{err: fmt.Errorf("POST %s: %w", d.Inbox, err), final: IsPermanent(err)}
	case status >= 200 && status < 300:
		return result{}
	case outcome == outcomePermanent:
		return result{err: fmt.Errorf("POST %s: HTTP %d", d.Inbox, status), final: true}
	}
	err = fmt.Errorf("POST %s: HTTP %d", d.Inbox, status)
	if retryAfter > 0 && (status == 429 || status == 503) {
		return result{err: err, retryAfter: min(retryAfter, MaxRetryAfter)}
	}
	return result{err: err}
}

// riverSchedulerInterval is River's default JobSchedulerInterval (not
// configurable from outside River).
const riverSchedulerInterval = 5 * time.Second

// errNotTried is the error of a batch's delivery that was not attempted.
var errNotTried = errors.New("not attempted: the batch ran out of time")

type batchWorker struct {
	river.WorkerDefaults[DeliveryBatch]
	q   *Queue
	src ActivitySource
	p   Poster
}

func (w *batchWorker) Work(ctx context.Context, job *river.Job[DeliveryBatch]) error {
	ctx = context.WithValue(ctx, attemptKey{}, job.Attempt)
	err := w.q.deliverBatch(ctx, w.src, w.p, job)
	if IsPermanent(err) {
		return river.JobCancel(err)
	}
	return err
}

// deliverBatch attempts each inbox of the batch once, batchParallel at a time,
// with the activity read once, taking a host's slot only if one is free. Those
// that did not succeed are inserted as Delivery jobs of their own in the
// transaction that completes the batch:
// a final failure as a Final job (cancelled at once, listed with its error), a
// busy host's as a job due after the snooze, a retryable failure as a job with
// its attempt counted (Prior) due after the backoff or the host's Retry-After.
// Deliveries not started when half the job's timeout has passed are split out
// unattempted, so a batch of slow hosts is never cancelled halfway and re-run.
func (q *Queue) deliverBatch(ctx context.Context, src ActivitySource, p Poster, job *river.Job[DeliveryBatch]) error {
	b := job.Args
	n := len(b.Inboxes)
	if len(b.Hosts) != n {
		return Permanent(fmt.Errorf("queue: delivery batch with %d inboxes and %d hosts", n, len(b.Hosts)))
	}
	body, err := src.ActivityJSON(ctx, b.ActivityID)
	if errors.Is(err, store.ErrNotFound) {
		return Permanent(fmt.Errorf("activity %s: %w", b.ActivityID, err))
	}
	if err != nil {
		return err
	}
	results := make([]result, n)
	start, soft := time.Now(), q.opts.JobTimeout/2
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, batchParallel) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if ctx.Err() != nil || time.Since(start) > soft {
					results[i] = result{err: errNotTried, notTried: true}
					continue
				}
				// No waiting for a busy host's slot: it would hold the
				// batch's other deliveries; the split-out job waits instead.
				results[i] = q.attempt(ctx, p, body, b.delivery(i), 0)
			}
		})
	}
	wg.Wait()
	var out batchOutput
	var split []river.InsertManyParams
	for i, r := range results {
		if r.err == nil {
			continue
		}
		out.Split = append(out.Split, i)
		split = append(split, q.splitOut(b.delivery(i), r, job.Attempt))
	}
	if len(split) == 0 {
		return nil
	}
	if err := river.RecordOutput(ctx, out); err != nil {
		return err
	}
	// The job's own context may be at its end: the split-out jobs must still be
	// written, or the whole batch would be sent again.
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return q.st.Tx(tctx, func(tx *store.Store) error {
		sqlTx, ok := sqlTxOf(tctx, tx)
		if !ok {
			return errors.New("queue: delivery batch: no transaction")
		}
		res, err := q.ins.InsertManyTx(tctx, sqlTx, split)
		if err != nil {
			return fmt.Errorf("queue: split out deliveries: %w", err)
		}
		// River inserts a job with a ScheduledAt as "scheduled", which only its
		// scheduler (every riverSchedulerInterval) makes available; its own
		// executor makes a retry or snooze due sooner than that "available" with
		// the later scheduled_at, which the fetch honours. Do the same, or a
		// busy host's delivery would wait 5 s instead of its ~1 s snooze.
		var soon []int64
		for i, r := range res {
			if at := split[i].InsertOpts.ScheduledAt; !r.UniqueSkippedAsDuplicate && !at.IsZero() && time.Until(at) <= riverSchedulerInterval {
				soon = append(soon, r.Job.ID)
			}
		}
		if len(soon) > 0 {
			if err := tx.DB.Exec("UPDATE river_job SET state = ? WHERE id IN ? AND state = ?", StateAvailable, soon, StateScheduled).Error; err != nil {
				return fmt.Errorf("queue: split out deliveries: %w", err)
			}
		}
		if _, err := river.JobCompleteTx[*riverdatabasesql.Driver](tctx, sqlTx, job); err != nil {
			return fmt.Errorf("queue: complete delivery batch: %w", err)
		}
		return nil
	})
}

// splitOut is the Delivery job that carries on after r, the outcome of d's
// attempt number `attempt` inside a batch.
func (q *Queue) splitOut(d Delivery, r result, attempt int) river.InsertManyParams {
	opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
	switch {
	case r.notTried:
	case r.snooze > 0:
		opts.ScheduledAt = time.Now().Add(r.snooze)
	case r.final || attempt >= q.opts.MaxAttempts:
		d.Final, d.PriorError = true, r.err.Error()
	default:
		d.Prior, d.PriorError = attempt, r.err.Error()
		opts.MaxAttempts = q.opts.MaxAttempts - attempt
		wait := max(q.policy.Backoff(attempt), r.retryAfter)
		opts.ScheduledAt = time.Now().Add(wait)
	}
	return river.InsertManyParams{Args: d, InsertOpts: opts}
}

type outcome int

const (
	outcomeOK outcome = iota
	outcomePermanent
	outcomeRetry       // the host answered but asks to come back later (408, 429)
	outcomeHostFailure // network error or 5xx: counts towards the dead-host skip
)

// classify: 2xx done; 408, 425, 429 and 5xx (but 501, 505) retry; other statuses
// (410 Gone, 400, 401, 403, 404, 422, 3xx since a POST is not redirected) are final.
func classify(status int, err error) outcome {
	switch {
	case status == 0:
		return outcomeHostFailure
	case status >= 200 && status < 300:
		return outcomeOK
	case status == 408 || status == 425 || status == 429:
		return outcomeRetry
	case status == 501 || status == 505:
		return outcomePermanent
	case status >= 500:
		return outcomeHostFailure
	}
	return outcomePermanent
}
