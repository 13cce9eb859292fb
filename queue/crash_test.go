package queue

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

const (
	envChildDriver = "QUEUE_TEST_CHILD_DRIVER"
	envChildDSN    = "QUEUE_TEST_CHILD_DSN"
)

func crashOptions() Options {
	o := fastOptions()
	o.MaxAttempts = 10000 // the sink is down for a while: never give up here
	o.DeadHostFailures = -1
	return o
}

// TestCrashChild is the worker process of TestCrashResume; it runs only when
// started by it and works jobs until it is killed.
func TestCrashChild(t *testing.T) {
	driver, dsn := os.Getenv(envChildDriver), os.Getenv(envChildDSN)
	if dsn == "" {
		t.Skip("helper process")
	}
	st, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	startQueue(t, st, crashOptions(), activities{}, newPoster(nil))
	select {}
}

// A worker process is SIGKILLed while deliveries are pending (their host is down)
// after it has completed others; a new process on the same database delivers every
// pending one once the host is back, and none of the completed ones again.
func TestCrashResume(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.NewDatabase(t, driver)
			st, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			migrated(t, st)
			q, err := New(st, crashOptions(), nil) // insert-only until the "restart"
			if err != nil {
				t.Fatal(err)
			}
			s := startSink(t, "127.0.0.1:0", nil)
			addr := s.addr
			inboxes := func(from, to int) []string {
				var out []string
				for i := from; i < to; i++ {
					out = append(out, s.url(fmt.Sprintf("/u%d/inbox", i)))
				}
				return out
			}

			child := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			child.Env = append(os.Environ(), envChildDriver+"="+driver, envChildDSN+"="+dsn)
			child.Stderr = os.Stderr
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			var killed atomic.Bool
			t.Cleanup(func() {
				if !killed.Load() {
					child.Process.Kill()
					child.Wait()
				}
			})

			// Phase 1: the host is up; the child delivers 20.
			if _, err := q.FanOut(ctx, nil, "act-1", "actor", inboxes(0, 20)); err != nil {
				t.Fatal(err)
			}
			waitCounts(t, q, 30*time.Second, func(c map[string]int64) bool { return c[StateCompleted] == 20 })
			// Phase 2: the host goes down; 30 more are attempted and fail.
			s.srv.Close()
			if _, err := q.FanOut(ctx, nil, "act-2", "actor", inboxes(20, 50)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				list, err := q.Deliveries(ctx, DeliveryFilter{ActivityID: "act-2"})
				if err != nil {
					t.Fatal(err)
				}
				tried := 0
				for _, d := range list {
					if d.Attempt >= 2 {
						tried++
					}
				}
				if tried == 30 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("child did not attempt the deliveries: %d of 30", tried)
				}
				time.Sleep(20 * time.Millisecond)
			}
			// Kill -9 in the middle of it.
			killed.Store(true)
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			child.Wait()
			c, _ := q.DeliveryCounts(ctx)
			t.Logf("after SIGKILL: %v", c)

			// Restart: the host is back on the same address, a new process works the queue.
			s.listen(t, addr)
			restart := time.Now()
			startQueue(t, st, crashOptions(), activities{}, newPoster(nil))
			waitCounts(t, q, 30*time.Second, func(c map[string]int64) bool { return c[StateCompleted] == 50 })
			t.Logf("all 50 delivered %s after restart", time.Since(restart))
			// No sleep: a job completes only after the sink answered (and counted)
			// its POST, and no finished job runs again.
			total, keys, maxPer := s.snapshot()
			if total != 50 || keys != 50 || maxPer != 1 {
				t.Fatalf("sink: %d POSTs to %d inboxes, max %d per inbox; want 50 exactly once", total, keys, maxPer)
			}
		})
	}
}

// Two processes on one database share 500 deliveries: each arrives exactly once.
func TestTwoProcessesDeliverOnce(t *testing.T) {
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.NewDatabase(t, driver)
			open := func() *store.Store {
				st, err := store.Open(store.Options{Driver: driver, DSN: dsn, MaxOpenConns: 8})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
			st1, st2 := open(), open()
			if err := st1.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			migrated(t, st1)
			s := startSink(t, "127.0.0.1:0", nil)
			var n1, n2 atomic.Int64
			p1, p2 := &countingPoster{Poster: newPoster(nil), n: &n1}, &countingPoster{Poster: newPoster(nil), n: &n2}
			o1, o2 := fastOptions(), fastOptions()
			o1.ID, o2.ID = "proc-1", "proc-2"
			q1 := startQueue(t, st1, o1, activities{}, p1)
			startQueue(t, st2, o2, activities{}, p2)
			var inboxes []string
			for i := range 500 {
				inboxes = append(inboxes, s.url(fmt.Sprintf("/u%d/inbox", i)))
			}
			if _, err := q1.FanOut(ctx, nil, "act-1", "actor", inboxes); err != nil {
				t.Fatal(err)
			}
			waitCounts(t, q1, 60*time.Second, finished(500)) // every POST was counted before its job finished
			total, keys, maxPer := s.snapshot()
			t.Logf("process 1 delivered %d, process 2 %d", n1.Load(), n2.Load())
			if total != 500 || keys != 500 || maxPer != 1 {
				t.Fatalf("sink: %d POSTs to %d inboxes, max %d per inbox", total, keys, maxPer)
			}
			if n1.Load() == 0 || n2.Load() == 0 {
				t.Logf("note: one process did all the work")
			}
		})
	}
}

type countingPoster struct {
	Poster
	n *atomic.Int64
}

func (p *countingPoster) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	p.n.Add(1)
	return p.Poster.Post(ctx, actorID, inbox, body)
}
