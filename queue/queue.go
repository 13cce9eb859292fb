package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/store"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Job is the arguments of one job: a JSON-encodable struct with a stable kind name.
// It is River's JobArgs, so a Job may also implement river.JobArgsWithInsertOpts.
type Job interface {
	Kind() string
}

// Options tunes the queue. Zero fields take the defaults noted.
type Options struct {
	JobTimeout           time.Duration // per attempt; default 1 min
	RescueStuckJobsAfter time.Duration // a job left running by a dead process is retried after this; default 5 min
	MaxAttempts          int           // default 25 (≥ 48 h with the default backoff, see MinRetrySpan)
	Workers              int           // concurrent jobs per process; default 64
	PerHostConcurrency   int           // concurrent deliveries per remote host per process; default 16

	// Polling: River cannot LISTEN through database/sql, so it polls. Defaults 10 ms / 10 ms:
	// throughput is about (jobs per fetch) / FetchPollInterval, see the package doc.
	FetchCooldown     time.Duration
	FetchPollInterval time.Duration

	// Retry schedule (see Backoff). Defaults 30 s and 6 h; tests shrink them.
	RetryBase time.Duration
	RetryMax  time.Duration

	// HostWait is how long a delivery waits for a free slot of its host before it is
	// snoozed for HostBusySnooze (plus jitter). Defaults 2 s and 1 s: a short snooze
	// keeps a busy host's slots filled (a 5 s one halved a slow host's rate).
	HostWait       time.Duration
	HostBusySnooze time.Duration
	// After DeadHostFailures consecutive failures (network errors, 5xx) a host is
	// considered down for DeadHostFor: its deliveries are retried later without a
	// request. Defaults 10 and 5 min; DeadHostFailures < 0 disables it.
	DeadHostFailures int
	DeadHostFor      time.Duration

	// CompletedRetention is how long finished jobs stay visible to admins; default 24 h.
	CompletedRetention time.Duration
	// ID names this process's client in River (default: River's own).
	ID string
}

// OptionsFromConfig maps the configuration onto Options.
func OptionsFromConfig(cfg config.Config) Options {
	return Options{
		JobTimeout:           cfg.Queue.JobTimeout,
		RescueStuckJobsAfter: cfg.Queue.RescueStuckJobsAfter,
		MaxAttempts:          cfg.Queue.MaxAttempts,
		Workers:              cfg.Federation.DeliveryWorkers,
		PerHostConcurrency:   cfg.Federation.PerHostConcurrency,
	}
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.JobTimeout, time.Minute)
	def(&o.RescueStuckJobsAfter, 5*time.Minute)
	def(&o.FetchCooldown, 10*time.Millisecond)
	def(&o.FetchPollInterval, 10*time.Millisecond)
	def(&o.RetryBase, 30*time.Second)
	def(&o.RetryMax, 6*time.Hour)
	def(&o.HostWait, 2*time.Second)
	def(&o.HostBusySnooze, time.Second)
	def(&o.DeadHostFor, 5*time.Minute)
	def(&o.CompletedRetention, 24*time.Hour)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 25
	}
	if o.Workers <= 0 {
		o.Workers = 64
	}
	if o.PerHostConcurrency <= 0 {
		o.PerHostConcurrency = 16
	}
	if o.DeadHostFailures == 0 {
		o.DeadHostFailures = 10
	}
	if o.FetchPollInterval < o.FetchCooldown {
		o.FetchPollInterval = o.FetchCooldown
	}
	return o
}

// Queue is the durable job queue on the application's database.
type Queue struct {
	st       *store.Store
	opts     Options
	log      *slog.Logger
	driver   riverdriver.Driver[*sql.Tx]
	ins      *river.Client[*sql.Tx] // insert-only: every role inserts through it
	workers  *river.Workers
	kinds    int
	periodic []*river.PeriodicJob
	policy   *RetryPolicy
	hosts    *hostLimiter

	retryAfter sync.Map // job id → time.Duration asked by the handler (RetryAfter)

	mu     sync.Mutex
	worker *river.Client[*sql.Tx] // set by Start
}

func newDriver(st *store.Store) (riverdriver.Driver[*sql.Tx], error) {
	switch st.Driver {
	case "sqlite":
		var s string
		if err := st.SQL().QueryRow(`select json(jsonb('{}'))`).Scan(&s); err != nil {
			return nil, fmt.Errorf("queue: this SQLite lacks jsonb() (needs SQLite ≥ 3.45, modernc.org/sqlite ≥ v1.29): %w", err)
		}
		return riversqlite.New(st.SQL()), nil
	case "postgres":
		return riverdatabasesql.New(st.SQL()), nil
	}
	return nil, fmt.Errorf("queue: unsupported database driver %q", st.Driver)
}

// Migrate creates or upgrades River's tables (river_job, river_leader, …) in the
// store's database — on PostgreSQL in the schema the DSN's search_path selects. It
// is idempotent; the app calls it right after store.Migrate.
func Migrate(ctx context.Context, st *store.Store) error {
	drv, err := newDriver(st)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	return nil
}

// New builds a queue on st (migrated with Migrate). It can insert at once; it works
// jobs only after Start, which roles "all" and "worker" call and role "web" does not.
func New(st *store.Store, opts Options, log *slog.Logger) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts = opts.withDefaults()
	drv, err := newDriver(st)
	if err != nil {
		return nil, err
	}
	q := &Queue{
		st: st, opts: opts, log: log.With("component", "queue"), driver: drv,
		workers: river.NewWorkers(),
		policy:  &RetryPolicy{Base: opts.RetryBase, Max: opts.RetryMax},
	}
	q.hosts = newHostLimiter(opts.PerHostConcurrency, opts.DeadHostFailures, opts.DeadHostFor)
	q.ins, err = river.NewClient(drv, q.riverConfig(false))
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return q, nil
}

func (q *Queue) riverConfig(work bool) *river.Config {
	c := &river.Config{
		ID:                          q.opts.ID,
		Logger:                      slog.New(demote{q.log.Handler()}),
		MaxAttempts:                 q.opts.MaxAttempts,
		JobTimeout:                  q.opts.JobTimeout,
		RescueStuckJobsAfter:        q.opts.RescueStuckJobsAfter,
		RetryPolicy:                 q.policy,
		FetchCooldown:               q.opts.FetchCooldown,
		FetchPollInterval:           q.opts.FetchPollInterval,
		CompletedJobRetentionPeriod: q.opts.CompletedRetention,
		CancelledJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
		PollOnly:                    true,
	}
	if work {
		c.Workers = q.workers
		c.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.opts.Workers}}
		c.PeriodicJobs = q.periodic
	}
	return c
}

// Options returns the effective options.
func (q *Queue) Options() Options { return q.opts }

// Start begins working jobs of every registered kind (roles all and worker).
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.worker != nil {
		return errors.New("queue: already started")
	}
	if q.kinds == 0 {
		return errors.New("queue: no job kinds registered")
	}
	c, err := river.NewClient(q.driver, q.riverConfig(true))
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		return fmt.Errorf("queue: start: %w", err)
	}
	q.worker = c
	q.log.Info("queue started", "workers", q.opts.Workers, "per_host", q.opts.PerHostConcurrency, "driver", q.st.Driver)
	return nil
}

// Stop stops fetching and lets running jobs finish until ctx ends; jobs still
// running then are cancelled and, not having completed, run again later (here or in
// another process, after RescueStuckJobsAfter at worst).
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	c := q.worker
	q.worker = nil
	q.mu.Unlock()
	if c == nil {
		return nil
	}
	err := c.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = errors.Join(err, c.StopAndCancel(hard))
	}
	return err
}

// AddWorker registers fn as the handler of jobs of type T. Call it before Start. A
// handler's error retries the job on the backoff schedule unless it is wrapped by
// Permanent (cancel), Snooze (later, not counting an attempt) or RetryAfter.
func AddWorker[T Job](q *Queue, fn func(ctx context.Context, args T) error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.worker != nil {
		return errors.New("queue: AddWorker after Start")
	}
	if err := river.AddWorkerSafely[T](q.workers, &funcWorker[T]{q: q, fn: fn}); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	q.kinds++
	return nil
}

// AddPeriodic inserts job every interval, and once when the queue starts, on
// the processes that work jobs (its worker must be registered with AddWorker).
// River schedules periodic jobs on its elected leader only, so N worker
// processes insert it once per interval, not N times. Call it before Start.
func AddPeriodic(q *Queue, interval time.Duration, job Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.worker != nil {
		return errors.New("queue: AddPeriodic after Start")
	}
	if interval <= 0 {
		return fmt.Errorf("queue: periodic %s: interval must be positive", job.Kind())
	}
	q.periodic = append(q.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return job, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	return nil
}

type funcWorker[T Job] struct {
	river.WorkerDefaults[T]
	q  *Queue
	fn func(context.Context, T) error
}

func (w *funcWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	ctx = context.WithValue(ctx, attemptKey{}, job.Attempt)
	err := w.fn(ctx, job.Args)
	if err == nil {
		return nil
	}
	var perm *permanentError
	if errors.As(err, &perm) {
		return river.JobCancel(perm.err)
	}
	var ra *retryAfterError
	if errors.As(err, &ra) && job.Attempt < job.MaxAttempts {
		w.q.retryAfter.Store(job.ID, ra.after)
	}
	return err
}

// NextRetry is the backoff schedule's next attempt, counting the attempts a
// split-out delivery already had in its batch, or later when the handler asked
// for it (RetryAfter).
func (w *funcWorker[T]) NextRetry(job *river.Job[T]) time.Time {
	n := job.Attempt
	if p, ok := any(job.Args).(interface{ priorAttempts() int }); ok {
		n += p.priorAttempts()
	}
	next := time.Now().Add(w.q.policy.Backoff(n))
	if v, ok := w.q.retryAfter.LoadAndDelete(job.ID); ok {
		if at := time.Now().Add(v.(time.Duration)); at.After(next) {
			return at
		}
	}
	return next
}

type attemptKey struct{}

// Attempt returns the attempt number (1-based) of the job a handler is running.
func Attempt(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks a handler error as final: the job is cancelled, never retried.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err (or one of the errors joined in it) was
// marked with Permanent.
func IsPermanent(err error) bool {
	var perm *permanentError
	return errors.As(err, &perm)
}

// Snooze asks for the job to run again after d without counting an attempt (for
// waiting on something that is not a failure, e.g. a busy host).
func Snooze(d time.Duration) error { return river.JobSnooze(d) }

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter is a failed attempt (it counts) whose next attempt must not come
// before d, e.g. a 429 or 503 with Retry-After. The backoff schedule still applies
// when it is later.
func RetryAfter(d time.Duration, err error) error {
	if err == nil {
		err = errors.New("retry later")
	}
	return &retryAfterError{err: err, after: d}
}

// Insert enqueues jobs outside any transaction.
func (q *Queue) Insert(ctx context.Context, jobs ...Job) error {
	if len(jobs) == 0 {
		return nil
	}
	if u := store.UnitOfWork(ctx); u != nil {
		// Inside a unit of work (it may hold SQLite's only connection): the
		// jobs join it and exist if and only if it commits.
		return q.InsertTx(ctx, u, jobs...)
	}
	if _, err := q.ins.InsertMany(ctx, manyParams(jobs)); err != nil {
		return fmt.Errorf("queue: insert: %w", err)
	}
	return nil
}

// InsertTx enqueues jobs inside the caller's transaction (a Store from store.Tx):
// they exist if and only if the transaction commits. On SQLite the transaction
// holds the only connection, so never call Insert (or anything else using the
// pool) inside one — use InsertTx.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Store, jobs ...Job) error {
	if len(jobs) == 0 {
		return nil
	}
	return q.insertTx(ctx, tx, jobs, false)
}

// insertTx inserts jobs in tx's transaction (or ctx's unit of work), or on their
// own when there is none; fast: River's batch insert that returns no rows.
func (q *Queue) insertTx(ctx context.Context, tx *store.Store, jobs []Job, fast bool) error {
	sqlTx, ok := sqlTxOf(ctx, tx)
	if !ok {
		return q.Insert(ctx, jobs...)
	}
	var err error
	if fast {
		_, err = q.ins.InsertManyFastTx(ctx, sqlTx, manyParams(jobs))
	} else {
		_, err = q.ins.InsertManyTx(ctx, sqlTx, manyParams(jobs))
	}
	if err != nil {
		return fmt.Errorf("queue: insert: %w", err)
	}
	return nil
}

// sqlTxOf is tx's transaction, or else the unit of work of ctx (see
// store.WithUnitOfWork): a job inserted with its context joins it.
func sqlTxOf(ctx context.Context, tx *store.Store) (*sql.Tx, bool) {
	if tx == nil || tx.DB == nil || tx.DB.Statement == nil {
		tx = store.UnitOfWork(ctx)
	}
	if tx == nil || tx.DB == nil || tx.DB.Statement == nil {
		return nil, false
	}
	if _, ok := store.SQLTx(tx.DB.Statement.ConnPool); !ok {
		if u := store.UnitOfWork(ctx); u != nil {
			tx = u
		}
	}
	return store.SQLTx(tx.DB.Statement.ConnPool)
}

// InsertFastTx is InsertTx for jobs without uniqueness options, at a fraction
// of its cost: River's plain batch insert returns no rows (its InsertManyTx
// returns every inserted row and, on SQLite, tags each with a nonce to tell
// a unique skip from an insert). The inbox's group commit uses it: on SQLite
// that returning insert was ~40 % of the CPU of accepting an activity. A job
// with a unique key that collides fails the whole insert instead of being
// skipped.
func (q *Queue) InsertFastTx(ctx context.Context, tx *store.Store, jobs ...Job) error {
	if len(jobs) == 0 {
		return nil
	}
	return q.insertTx(ctx, tx, jobs, true)
}

func manyParams(jobs []Job) []river.InsertManyParams {
	p := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		p[i] = river.InsertManyParams{Args: j}
	}
	return p
}

// demote lowers River's log levels one step (its per-attempt job errors are ERROR;
// for us a failed delivery is routine) and drops its INFO chatter to DEBUG.
type demote struct{ h slog.Handler }

func (d demote) level(l slog.Level) slog.Level {
	switch {
	case l >= slog.LevelError:
		return slog.LevelWarn
	case l >= slog.LevelWarn:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
func (d demote) Enabled(ctx context.Context, l slog.Level) bool {
	return d.h.Enabled(ctx, d.level(l))
}
func (d demote) Handle(ctx context.Context, r slog.Record) error {
	r.Level = d.level(r.Level)
	return d.h.Handle(ctx, r)
}
func (d demote) WithAttrs(a []slog.Attr) slog.Handler { return demote{d.h.WithAttrs(a)} }
func (d demote) WithGroup(n string) slog.Handler      { return demote{d.h.WithGroup(n)} }
