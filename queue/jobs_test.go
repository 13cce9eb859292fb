package queue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// reminder is a job the service would schedule (a proposal to close at its end).
type reminder struct {
	ID  string    `json:"id"`
	Due time.Time `json:"due"`
}

func (reminder) Kind() string { return "test_reminder" }

// runs records when each reminder ran, and in which queue.
type runs struct {
	mu sync.Mutex
	at map[string][]time.Time
	by map[string]string
}

func (r *runs) worker(name string) func(context.Context, reminder) error {
	return func(_ context.Context, j reminder) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.at[j.ID] = append(r.at[j.ID], time.Now())
		r.by[j.ID] = name
		return nil
	}
}

func (r *runs) get(id string) ([]time.Time, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.at[id]...), r.by[id]
}

func startJobs(t *testing.T, st *store.Store, r *runs, name string) *Queue {
	t.Helper()
	q, err := New(st, fastOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := AddWorker(q, r.worker(name)); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return q
}

func stopJobs(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// The Jobs port: a job scheduled in a transaction that commits runs once, at or
// after its time, even when the queue (and its database connection) restarted in
// between; one enqueued runs at once; one written in a transaction that rolls back
// never exists.
func TestJobsScheduleAtDurableAcrossRestart(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.NewDatabase(t, driver)
			open := func() *store.Store {
				st, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 4})
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			st := open()
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			migrated(t, st)
			r := &runs{at: map[string][]time.Time{}, by: map[string]string{}}
			q1 := startJobs(t, st, r, "first")
			var jobs service.Jobs = q1

			// Far enough ahead that the first queue is stopped well before it is due,
			// even on a loaded machine.
			due := time.Now().Add(10 * time.Second)
			err := st.Tx(ctx, func(tx *store.Store) error {
				if err := jobs.ScheduleAt(ctx, tx, reminder{ID: "later", Due: due}, due); err != nil {
					return err
				}
				return jobs.Enqueue(ctx, tx, reminder{ID: "now"})
			})
			if err != nil {
				t.Fatal(err)
			}
			rollback := errors.New("rolled back")
			err = st.Tx(ctx, func(tx *store.Store) error {
				if err := jobs.ScheduleAt(ctx, tx, reminder{ID: "never"}, time.Now()); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatalf("tx: %v", err)
			}
			if err := jobs.ScheduleAt(ctx, st, reminder{ID: "x"}, time.Time{}); err == nil {
				t.Fatal("ScheduleAt without a time was accepted")
			}

			var counts map[string]int64
			eventually(t, func() bool {
				var err error
				if counts, err = q1.Counts(ctx, reminder{}.Kind()); err != nil {
					t.Fatal(err)
				}
				return counts[StateCompleted] == 1
			}, "the enqueued job runs")
			// Restart: stop the worker and drop the connections, then a new queue on
			// a new connection to the same database.
			stopJobs(t, q1)
			if at, _ := r.get("later"); len(at) != 0 {
				t.Fatalf("the scheduled job ran before the restart, at %v (due %v)", at, due)
			}
			if counts, err = q1.Counts(ctx, reminder{}.Kind()); err != nil {
				t.Fatal(err)
			}
			// River's scheduler may already have made the due-soon job available.
			waiting := counts[StateScheduled] + counts[StateAvailable]
			if at, _ := r.get("now"); len(at) != 1 || waiting != 1 || counts[StateCompleted] != 1 || len(counts) != 2 {
				t.Fatalf("before the restart: %v (enqueued job ran %d times), want 1 waiting and 1 completed (the rolled-back job must not exist)", counts, len(at))
			}
			st.Close()
			st = open()
			t.Cleanup(func() { st.Close() })
			q2 := startJobs(t, st, r, "second")
			t.Cleanup(func() { stopJobs(t, q2) })

			eventually(t, func() bool { at, _ := r.get("later"); return len(at) > 0 }, "the scheduled job runs after the restart")
			at, by := r.get("later")
			if len(at) != 1 || by != "second" {
				t.Fatalf("scheduled job ran %d times, last by the %s queue", len(at), by)
			}
			if at[0].Before(due) {
				t.Fatalf("scheduled job ran at %v, before its time %v", at[0], due)
			}
			if at, _ := r.get("never"); len(at) != 0 {
				t.Fatal("the rolled-back job ran")
			}
		})
	}
}

// eventually polls cond until it holds (30 s at most).
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The service names delivery states without knowing River: its list must be
// River's states, each once.
func TestDeliveryStatesMatchRiver(t *testing.T) {
	river := map[string]bool{StatePending: true, StateScheduled: true, StateAvailable: true, StateRunning: true,
		StateRetryable: true, StateCompleted: true, StateCancelled: true, StateDiscarded: true}
	seen := map[string]bool{}
	for _, s := range service.DeliveryStates {
		if !river[s] || seen[s] {
			t.Errorf("service delivery state %q is not a River state, or is listed twice", s)
		}
		seen[s] = true
	}
	if len(seen) != len(river) {
		t.Errorf("service lists %d delivery states, River has %d", len(seen), len(river))
	}
}

// A periodic job (AddPeriodic) is inserted when the queue starts (then every
// interval, by River's leader) and worked by its registered worker; it is
// refused after Start.
func TestPeriodicJobRunsOnStart(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			st := openStore(t, driver)
			r := &runs{at: map[string][]time.Time{}, by: map[string]string{}}
			q, err := New(st, fastOptions(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := AddWorker(q, r.worker("one")); err != nil {
				t.Fatal(err)
			}
			if err := AddPeriodic(q, 0, reminder{ID: "never"}); err == nil {
				t.Fatal("a zero interval was accepted")
			}
			if err := AddPeriodic(q, 24*time.Hour, reminder{ID: "daily"}); err != nil {
				t.Fatal(err)
			}
			if err := q.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer stopJobs(t, q)
			eventually(t, func() bool { at, _ := r.get("daily"); return len(at) == 1 }, "the periodic job ran on start")
			if err := AddPeriodic(q, time.Hour, reminder{ID: "late"}); err == nil {
				t.Fatal("AddPeriodic after Start was accepted")
			}
		})
	}
}
