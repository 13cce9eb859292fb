package queue

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// fastOptions shrink every delay for tests.
func fastOptions() Options {
	return Options{
		JobTimeout: 2 * time.Second, RescueStuckJobsAfter: 3 * time.Second, MaxAttempts: 5,
		Workers: 16, PerHostConcurrency: 4,
		RetryBase: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		HostWait: 50 * time.Millisecond, HostBusySnooze: 100 * time.Millisecond,
	}
}

func migrated(t testing.TB, st *store.Store) *store.Store {
	t.Helper()
	if err := Migrate(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

func openStore(t testing.TB, driver string) *store.Store {
	return migrated(t, storetest.Open(t, driver))
}

// startQueue builds, registers delivery and starts a queue; it is stopped at cleanup.
func startQueue(t testing.TB, st *store.Store, opts Options, src ActivitySource, p Poster) *Queue {
	t.Helper()
	q, err := New(st, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.RegisterDelivery(src, p); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}

// activities serves {"id": id} for any id.
type activities struct{}

func (activities) ActivityJSON(_ context.Context, id string) ([]byte, error) {
	return []byte(fmt.Sprintf(`{"id":%q,"type":"Create"}`, id)), nil
}

// httpPoster POSTs without signing; rewrite maps an inbox URL onto a sink URL.
type httpPoster struct {
	client  *http.Client
	rewrite func(string) string
}

func newPoster(rewrite func(string) string) *httpPoster {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	return &httpPoster{client: &http.Client{Transport: tr, Timeout: 5 * time.Second}, rewrite: rewrite}
}

func (p *httpPoster) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	target := inbox
	if p.rewrite != nil {
		target = p.rewrite(inbox)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("X-Inbox", inbox)
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var ra time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		ra = time.Duration(s) * time.Second
	}
	return resp.StatusCode, ra, nil
}

// sink counts POSTs by inbox+body and answers with respond (200 when nil).
type sink struct {
	mu      sync.Mutex
	hits    map[string]int
	times   []time.Time
	respond func(w http.ResponseWriter, r *http.Request, n int) // n: hits so far for this key
	srv     *http.Server
	addr    string
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	b.ReadFrom(r.Body)
	key := r.Header.Get("X-Inbox") + " " + b.String()
	s.mu.Lock()
	s.hits[key]++
	n := s.hits[key]
	s.times = append(s.times, time.Now())
	s.mu.Unlock()
	if s.respond != nil {
		s.respond(w, r, n)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *sink) snapshot() (total int, keys int, maxPerKey int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.hits {
		total += n
		keys++
		maxPerKey = max(maxPerKey, n)
	}
	return
}

// startSink listens on addr ("127.0.0.1:0" for any port).
func startSink(t testing.TB, addr string, respond func(http.ResponseWriter, *http.Request, int)) *sink {
	t.Helper()
	s := &sink{hits: map[string]int{}, respond: respond}
	s.listen(t, addr)
	return s
}

func (s *sink) listen(t testing.TB, addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.srv = &http.Server{Handler: s}
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
}

func (s *sink) url(path string) string { return "http://" + s.addr + path }

// waitCounts polls until cond holds on the delivery counts.
func waitCounts(t testing.TB, q *Queue, timeout time.Duration, cond func(map[string]int64) bool) map[string]int64 {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, err := q.DeliveryCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cond(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out; counts %v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func finished(n int64) func(map[string]int64) bool {
	return func(c map[string]int64) bool {
		return c[StateCompleted]+c[StateCancelled]+c[StateDiscarded] >= n
	}
}
