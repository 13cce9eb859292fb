// Package queue is the durable job queue every side effect goes through: an outgoing
// activity is stored and its deliveries enqueued in the same transaction (FanOut,
// InsertTx), so nothing is lost once the action that caused it returns; an accepted
// inbox activity is stored, answered 202 and processed from here too.
//
// # Why River
//
// We use River (github.com/riverqueue/river) on the application's own database,
// through database/sql, with one driver per database: riverdatabasesql on
// PostgreSQL and riversqlite on SQLite. What it gives us that we would otherwise
// write and test ourselves:
//
//   - Safe concurrency across processes: on PostgreSQL jobs are locked with
//     FOR UPDATE SKIP LOCKED, so several `serve --role worker|all` processes on one
//     database never run the same job twice (TestTwoProcessesDeliverOnce).
//   - The same code on SQLite, the default single-process install (it needs
//     jsonb(), SQLite ≥ 3.45; New checks it).
//   - Transactional enqueue: InsertTx/FanOut join the caller's gorm transaction.
//   - Retries with a pluggable policy, cancellation (Permanent), snoozing (busy host,
//     not counted as an attempt), unique jobs (the same activity to the same inbox
//     is enqueued once), rescue of jobs left running by a killed process, periodic
//     jobs, retention of finished jobs, and a job table admins can list.
//
// A hand-written SKIP LOCKED queue is faster in isolation (FACTS.md: ~40k jobs/s vs
// River's 1.6k/s on SQLite and 14–25k/s on PostgreSQL), but a delivery costs an
// RSA signature (~1 ms) so the queue is not the bottleneck, and all of the above
// would be ours to write. River cannot LISTEN through database/sql, so workers poll
// (FetchPollInterval, 10 ms by default; ~100 cheap queries/s per worker process
// when idle): throughput is bounded by jobs-per-fetch over the poll interval.
//
// # What the per-host limiter adds
//
// River limits concurrency per queue, not per remote server. Deliveries take a slot
// of their inbox's host (PerHostConcurrency per process: default 16, the
// configuration's federation.per_host_concurrency, against 64 workers). A job waits
// at most HostWait (2 s) for a slot and at most PerHostConcurrency jobs wait per host;
// otherwise it is snoozed for HostBusySnooze (1 s, jittered) and frees its worker,
// so a slow server holds at most 2×PerHostConcurrency workers and never stalls
// deliveries to other servers (TestPerHostConcurrency). After DeadHostFailures (10)
// consecutive network errors or 5xx from a host, its deliveries are retried after
// DeadHostFor (5 min) without a request; the first success clears it. The limits
// are per process: N worker processes allow N×PerHostConcurrency per host.
//
// # Batches
//
// FanOut enqueues one Delivery for a single inbox and DeliveryBatch jobs of up to
// DeliveryBatchSize (32) inboxes otherwise: River's per-job SQL (~1.6 ms of CPU on
// SQLite) is paid once per batch. A batch reads the activity once and attempts
// each inbox once, batchParallel (16) at a time, each with its own host slot and
// dead-host check; a batch does not wait for a busy host's slot (that would hold
// its other deliveries): that delivery is split out and waits in its own job. Every inbox that did not succeed is split out to a Delivery of
// its own, inserted in the transaction that completes the batch (JobCompleteTx):
// a final failure (410, blocked domain) as a Final job that is cancelled at once
// with the error; a busy host's after its snooze; a retryable failure with the
// attempt counted (Prior, PriorError; MaxAttempts reduced by it) after the
// backoff or Retry-After; one not started when half of JobTimeout has passed, at
// once. So a failing inbox is retried alone and the others are never sent
// again. The batch records the split-out indexes as its output: Deliveries and
// DeliveryCounts show one row per inbox (TestDeliveryBatchSplitsFailures).
//
// # Retry schedule
//
// Delivery outcome by status: 2xx done; 410 Gone and other 4xx/3xx (400, 401, 403,
// 404, 422 …) and 501/505 cancel the job (no retry); 408, 425, 429, 5xx and
// network errors retry. 429 and 503 honour Retry-After (capped at 6 h) when it is
// later than the backoff. A missing activity cancels the job.
//
// The delay after attempt n is uniform in [0.6·s, s] with s = min(6 h, 30 s·2^(n−1)):
// 30 s, 1 min, 2 min … 4 h 16 min, then 6 h. With MaxAttempts 25 (the default) a
// job that always fails is retried for 55.5 h at least and 92.5 h at most before
// it is discarded (TestRetryScheduleSpansTwoDays). Full jitter ([0, s]) would make
// the two-day promise a matter of luck; the 40 % band still spreads the retries of
// jobs that failed together.
//
// # Crash safety
//
// A job is completed only after its handler returns; a 2xx answer whose completion
// was not yet recorded when the process died is delivered again (at least once;
// receivers deduplicate by activity id) — for a batch, each of its inboxes. A job that was running in a killed process
// runs again after RescueStuckJobsAfter (5 min by default, plus up to 30 s for
// River's rescuer); a completed delivery is never sent again (TestCrashResume kills
// a worker process with SIGKILL).
//
// # Wiring
//
//	store.Migrate → queue.Migrate(ctx, st)        // at migrate time, idempotent
//	q, _ := queue.New(st, queue.OptionsFromConfig(cfg), log)  // every role
//	q.RegisterDelivery(src, poster)                // + other AddWorker calls
//	q.Start(ctx)                                   // roles all and worker only
//	q.Stop(shutdownCtx)                            // graceful: running jobs finish
//
// Role web never calls Start: its Queue only inserts. On SQLite a transaction holds
// the only connection: inside store.Tx use InsertTx/FanOut with the tx, never Insert.
package queue
