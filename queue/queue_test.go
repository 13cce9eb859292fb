package queue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func TestRetryScheduleSpansTwoDays(t *testing.T) {
	opts := OptionsFromConfig(config.Default()).withDefaults()
	p := &RetryPolicy{Base: opts.RetryBase, Max: opts.RetryMax}
	lo, hi := p.RetrySpan(opts.MaxAttempts)
	t.Logf("max_attempts=%d base=%s cap=%s: span %.1f h .. %.1f h", opts.MaxAttempts, opts.RetryBase, opts.RetryMax, lo.Hours(), hi.Hours())
	if lo < 48*time.Hour {
		t.Fatalf("shortest retry span %s < 48h", lo)
	}
	if p.Step(1) != 30*time.Second || p.Step(100) != 6*time.Hour {
		t.Fatalf("steps %s %s", p.Step(1), p.Step(100))
	}
	for n := 1; n < 40; n++ {
		for range 100 {
			d := p.Backoff(n)
			if s := p.Step(n); d < time.Duration(float64(s)*JitterFloor) || d > s {
				t.Fatalf("backoff(%d)=%s outside [%.0f%%, 100%%] of %s", n, d, JitterFloor*100, s)
			}
		}
	}
}

func TestMigrateIdempotentInOwnSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for range 2 {
			if err := Migrate(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		if st.Driver == "postgres" {
			var schema string
			if err := st.DB.Raw(`select table_schema from information_schema.tables where table_name = 'river_job' and table_schema = current_schema()`).Scan(&schema).Error; err != nil || schema == "" {
				t.Fatalf("river_job not in current schema (%q): %v", schema, err)
			}
			var public int
			st.DB.Raw(`select count(*) from information_schema.tables where table_name = 'river_job' and table_schema = 'public'`).Scan(&public)
			if public != 0 {
				t.Fatalf("river_job leaked into public")
			}
		}
		q, err := New(st, fastOptions(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Insert(ctx, Delivery{ActivityID: "a", ActorID: "b", Inbox: "http://x/inbox", Host: "x"}); err != nil {
			t.Fatal(err)
		}
		c, err := q.DeliveryCounts(ctx)
		if err != nil || c[StateAvailable] != 1 {
			t.Fatalf("counts %v %v", c, err)
		}
	})
}

func TestInsertTxJoinsTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		ctx := context.Background()
		q, err := New(st, fastOptions(), nil)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := NewDelivery("act-1", "actor", "https://remote.example/inbox")
		boom := errors.New("boom")
		err = st.Tx(ctx, func(tx *store.Store) error {
			if err := q.InsertTx(ctx, tx, d); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if c, _ := q.DeliveryCounts(ctx); len(c) != 0 {
			t.Fatalf("rolled back job exists: %v", c)
		}
		err = st.Tx(ctx, func(tx *store.Store) error {
			n, err := q.FanOut(ctx, tx, "act-1", "actor", []string{"https://remote.example/inbox", "https://remote.example/inbox", "not a url"})
			if n != 1 {
				t.Errorf("fan out %d", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := q.DeliveryCounts(ctx); c[StateAvailable] != 1 {
			t.Fatalf("counts %v", c)
		}
		// Same activity to same inbox again: unique, no second job.
		if _, err := q.FanOut(ctx, nil, "act-1", "actor", []string{"https://remote.example/inbox"}); err != nil {
			t.Fatal(err)
		}
		if c, _ := q.DeliveryCounts(ctx); c[StateAvailable] != 1 {
			t.Fatalf("duplicate job: %v", c)
		}
	})
}

func TestDeliveryOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		ctx := context.Background()
		var mu sync.Mutex
		hitTimes := map[string][]time.Time{}
		s := startSink(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			hitTimes[r.URL.Path] = append(hitTimes[r.URL.Path], time.Now())
			mu.Unlock()
			switch r.URL.Path {
			case "/ok":
				w.WriteHeader(202)
			case "/gone":
				w.WriteHeader(410)
			case "/forbidden":
				w.WriteHeader(403)
			case "/flaky": // two 500s then OK
				if n <= 2 {
					w.WriteHeader(500)
					return
				}
				w.WriteHeader(200)
			case "/slowdown": // 429 with Retry-After: 1 once
				if n == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(429)
					return
				}
				w.WriteHeader(200)
			case "/broken":
				w.WriteHeader(502)
			}
		})
		opts := fastOptions()
		opts.DeadHostFailures = -1
		q := startQueue(t, st, opts, activities{}, newPoster(nil))
		paths := []string{"/ok", "/gone", "/forbidden", "/flaky", "/slowdown", "/broken"}
		inboxes := make([]string, len(paths))
		for i, p := range paths {
			inboxes[i] = s.url(p)
		}
		if _, err := q.FanOut(ctx, nil, "act-1", "actor-1", inboxes); err != nil {
			t.Fatal(err)
		}
		waitCounts(t, q, 20*time.Second, finished(int64(len(paths))))
		list, err := q.Deliveries(ctx, DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]DeliveryInfo{}
		for _, d := range list {
			got[d.Inbox[len("http://")+len(s.addr):]] = d
		}
		want := map[string]struct {
			state   string
			attempt int
		}{
			"/ok": {StateCompleted, 1}, "/gone": {StateCancelled, 1}, "/forbidden": {StateCancelled, 1},
			"/flaky": {StateCompleted, 3}, "/slowdown": {StateCompleted, 2}, "/broken": {StateDiscarded, opts.MaxAttempts},
		}
		mu.Lock()
		defer mu.Unlock()
		for p, w := range want {
			d := got[p]
			if d.State != w.state || d.Attempt != w.attempt || len(hitTimes[p]) != w.attempt {
				t.Errorf("%s: state %s attempt %d hits %d, want %s %d", p, d.State, d.Attempt, len(hitTimes[p]), w.state, w.attempt)
			}
		}
		if e := got["/gone"].LastError; e == "" {
			t.Errorf("gone: no last error")
		}
		if ts := hitTimes["/slowdown"]; len(ts) == 2 && ts[1].Sub(ts[0]) < time.Second {
			t.Errorf("Retry-After not honoured: retried after %s", ts[1].Sub(ts[0]))
		}
		// Admin filters.
		byState, err := q.Deliveries(ctx, DeliveryFilter{State: StateCancelled})
		if err != nil || len(byState) != 2 {
			t.Errorf("cancelled: %d %v", len(byState), err)
		}
		byHost, err := q.Deliveries(ctx, DeliveryFilter{Host: s.addr, Limit: 3})
		if err != nil || len(byHost) != 3 {
			t.Errorf("by host: %d %v", len(byHost), err)
		}
		none, err := q.Deliveries(ctx, DeliveryFilter{Host: "elsewhere.example"})
		if err != nil || len(none) != 0 {
			t.Errorf("other host: %d %v", len(none), err)
		}
		c, _ := q.DeliveryCounts(ctx)
		if c[StateCompleted] != 3 || c[StateCancelled] != 2 || c[StateDiscarded] != 1 {
			t.Errorf("counts %v", c)
		}
	})
}

func TestGenericWorkerErrors(t *testing.T) {
	st := openStore(t, "sqlite")
	q, err := New(st, fastOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	runs := map[string]int{}
	if err := AddWorker(q, func(ctx context.Context, j testJob) error {
		mu.Lock()
		runs[j.Name]++
		n := runs[j.Name]
		mu.Unlock()
		switch j.Name {
		case "perm":
			return Permanent(errors.New("no"))
		case "snooze":
			if n < 3 {
				return Snooze(10 * time.Millisecond)
			}
		}
		if Attempt(ctx) < 1 {
			return Permanent(fmt.Errorf("attempt %d", Attempt(ctx)))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	if err := q.Insert(context.Background(), testJob{"perm"}, testJob{"snooze"}, testJob{"ok"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, _ := q.Counts(context.Background(), "test")
		if c[StateCompleted] == 2 && c[StateCancelled] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts %v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if runs["perm"] != 1 || runs["snooze"] != 3 || runs["ok"] != 1 {
		t.Fatalf("runs %v", runs)
	}
}

type testJob struct {
	Name string `json:"name"`
}

func (testJob) Kind() string { return "test" }

func TestHostLimiterDeadHost(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newHostLimiter(2, 3, time.Minute)
	l.now = func() time.Time { return now }
	ctx := context.Background()
	for range 3 {
		rel, err := l.acquire(ctx, "h", 0)
		if err != nil {
			t.Fatal(err)
		}
		rel(true)
	}
	var dead *hostDeadError
	if _, err := l.acquire(ctx, "h", 0); !errors.As(err, &dead) || !dead.until.Equal(now.Add(time.Minute)) {
		t.Fatalf("want dead host, got %v", err)
	}
	if rel, err := l.acquire(ctx, "other", 0); err != nil {
		t.Fatalf("other host blocked: %v", err)
	} else {
		rel(false)
	}
	now = now.Add(61 * time.Second)
	rel, err := l.acquire(ctx, "h", 0)
	if err != nil {
		t.Fatalf("probe after dead window: %v", err)
	}
	rel(false)
	if len(l.hosts) != 0 {
		t.Fatalf("recovered hosts not forgotten: %v", l.hosts)
	}
	// Busy: two holders, then waiters up to the limit, then immediate busy.
	r1, _ := l.acquire(ctx, "h", 0)
	r2, _ := l.acquire(ctx, "h", 0)
	if _, err := l.acquire(ctx, "h", 10*time.Millisecond); !errors.Is(err, errHostBusy) {
		t.Fatalf("want busy, got %v", err)
	}
	r1(false)
	r2(false)
}
