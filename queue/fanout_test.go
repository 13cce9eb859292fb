package queue

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// 10 000 followers on 1 000 servers that each advertise a shared inbox: one job and
// one POST per server.
func TestFanOutSharedInboxes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		ctx := context.Background()
		s := startSink(t, "127.0.0.1:0", nil)
		// Inbox http://hNNN.example/inbox is POSTed to the sink at /hNNN.example/inbox.
		p := newPoster(func(inbox string) string { return s.url("/" + strings.TrimPrefix(inbox, "http://")) })
		opts := fastOptions()
		opts.Workers = 32
		q := startQueue(t, st, opts, activities{}, p)
		inboxes := make([]string, 0, 10000)
		for f := range 10000 {
			inboxes = append(inboxes, fmt.Sprintf("http://h%03d.example/inbox", f%1000))
		}
		start := time.Now()
		var n int
		err := st.Tx(ctx, func(tx *store.Store) error {
			var err error
			n, err = q.FanOut(ctx, tx, "https://local.example/activities/1", "https://local.example/users/a", inboxes)
			return err
		})
		if err != nil || n != 1000 {
			t.Fatalf("fan out: %d %v", n, err)
		}
		t.Logf("enqueued 1000 in %s", time.Since(start))
		waitCounts(t, q, 60*time.Second, finished(1000))
		t.Logf("delivered 1000 in %s", time.Since(start))
		total, keys, maxPer := s.snapshot()
		if total != 1000 || keys != 1000 || maxPer != 1 {
			t.Fatalf("sink: %d POSTs to %d inboxes, max %d per inbox", total, keys, maxPer)
		}
		c, _ := q.DeliveryCounts(ctx)
		if c[StateCompleted] != 1000 || len(c) != 1 {
			t.Fatalf("counts %v", c)
		}
		// In jobs of DeliveryBatchSize inboxes.
		if b, _ := q.Counts(ctx, KindDeliveryBatch); b[StateCompleted] != (1000+DeliveryBatchSize-1)/DeliveryBatchSize {
			t.Fatalf("batch jobs %v", b)
		}
	})
}

// A slow host gets at most PerHostConcurrency requests at a time and does not hold
// up a fast host.
func TestPerHostConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		ctx := context.Background()
		var inFlight, peak atomic.Int32
		var mu sync.Mutex
		var slowDone, fastDone []time.Time
		slow := startSink(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request, n int) {
			cur := inFlight.Add(1)
			for {
				p := peak.Load()
				if cur <= p || peak.CompareAndSwap(p, cur) {
					break
				}
			}
			time.Sleep(200 * time.Millisecond)
			inFlight.Add(-1)
			mu.Lock()
			slowDone = append(slowDone, time.Now())
			mu.Unlock()
			w.WriteHeader(202)
		})
		fast := startSink(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			fastDone = append(fastDone, time.Now())
			mu.Unlock()
			w.WriteHeader(202)
		})
		opts := fastOptions()
		opts.PerHostConcurrency = 2
		opts.Workers = 8
		q := startQueue(t, st, opts, activities{}, newPoster(nil))
		var slowInboxes, fastInboxes []string
		for i := range 12 {
			slowInboxes = append(slowInboxes, slow.url(fmt.Sprintf("/u%d/inbox", i)))
			fastInboxes = append(fastInboxes, fast.url(fmt.Sprintf("/u%d/inbox", i)))
		}
		start := time.Now()
		if _, err := q.FanOut(ctx, nil, "act-slow", "actor", slowInboxes); err != nil {
			t.Fatal(err)
		}
		// The slow host's jobs are running first.
		waitCounts(t, q, 10*time.Second, func(map[string]int64) bool { return inFlight.Load() > 0 })
		if _, err := q.FanOut(ctx, nil, "act-fast", "actor", fastInboxes); err != nil {
			t.Fatal(err)
		}
		waitCounts(t, q, 30*time.Second, finished(24))
		mu.Lock()
		defer mu.Unlock()
		if p := peak.Load(); p > 2 {
			t.Errorf("slow host saw %d concurrent requests, limit 2", p)
		}
		lastFast := fastDone[len(fastDone)-1]
		t.Logf("fast host done after %s; slow host done after %s (peak %d)", lastFast.Sub(start), slowDone[len(slowDone)-1].Sub(start), peak.Load())
		if lastFast.Sub(start) > time.Second || !lastFast.Before(slowDone[len(slowDone)-1]) {
			t.Errorf("fast host waited for the slow one: fast %s, slow %s", lastFast.Sub(start), slowDone[len(slowDone)-1].Sub(start))
		}
		if len(fastDone) != 12 || len(slowDone) != 12 {
			t.Errorf("deliveries: fast %d slow %d", len(fastDone), len(slowDone))
		}
	})
}
