package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countedUsage is a usage seam that counts its calls; users is what it reports,
// gate (when set) holds a call until closed, fail makes it fail.
type countedUsage struct {
	calls atomic.Int64 // reads started
	done  atomic.Int64 // reads returned
	users atomic.Int64
	mu    sync.Mutex
	gate  chan struct{}
	fail  bool
}

func (u *countedUsage) read(ctx context.Context) (nodeinfoUsage, error) {
	u.calls.Add(1)
	defer u.done.Add(1)
	u.mu.Lock()
	gate, fail := u.gate, u.fail
	u.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if fail {
		return nodeinfoUsage{}, errors.New("database unreachable")
	}
	return nodeinfoUsage{Stats: service.Stats{Users: u.users.Load()}, RegistrationMode: "open"}, nil
}

func (u *countedUsage) set(gate chan struct{}, fail bool) {
	u.mu.Lock()
	u.gate, u.fail = gate, fail
	u.mu.Unlock()
}

// discoveryServer is an echo server with the discovery routes of a Federation
// whose clock and usage counts the test controls.
func discoveryServer(t *testing.T) (*echo.Echo, *fakeClock, *countedUsage) {
	t.Helper()
	cfg := config.Default()
	cfg.Server.PublicURL = "https://commons.example"
	cfg.Instance.Name = "Commons"
	clock := &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	usage := &countedUsage{}
	usage.users.Store(1)
	f := &Federation{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	f.discovery.now, f.discovery.usage = clock.now, usage.read
	e := echo.New()
	e.GET("/.well-known/host-meta", f.hostMeta)
	e.GET("/.well-known/nodeinfo", f.nodeinfoIndex)
	e.GET("/nodeinfo/2.1", f.nodeinfo)
	return e, clock, usage
}

func serve(e *echo.Echo, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// nodeinfoUsers GETs NodeInfo n times and returns the distinct user totals seen.
func nodeinfoUsers(t *testing.T, e *echo.Echo, n int) map[int64]bool {
	t.Helper()
	seen := map[int64]bool{}
	for i := 0; i < n; i++ {
		rec := serve(e, "/nodeinfo/2.1")
		var doc struct {
			Usage struct {
				Users struct{ Total int64 }
			}
			OpenRegistrations bool
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil || !doc.OpenRegistrations {
			t.Fatalf("nodeinfo: %d %s", rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != `application/json; profile="`+nodeinfoSchema+`#"` {
			t.Fatalf("nodeinfo content type %q", ct)
		}
		seen[doc.Usage.Users.Total] = true
	}
	return seen
}

func wantUsers(t *testing.T, got map[int64]bool, want int64) {
	t.Helper()
	if len(got) != 1 || !got[want] {
		t.Fatalf("NodeInfo said users.total %v, want only %d", got, want)
	}
}

// waitFor polls cond (background refreshes are asynchronous); no timing is asserted.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestNodeinfoServedFromCache: the usage counts are read once for 100 requests,
// at most once more per nodeinfoRefresh, never while a request waits (a refresh
// held open does not hold requests), and the document follows a change once the
// interval has passed; a failed refresh keeps the last document.
func TestNodeinfoServedFromCache(t *testing.T) {
	e, clock, usage := discoveryServer(t)

	wantUsers(t, nodeinfoUsers(t, e, 100), 1)
	if n := usage.calls.Load(); n != 1 {
		t.Fatalf("usage read %d times for 100 requests, want 1", n)
	}

	// A change within the interval is not seen and costs nothing.
	usage.users.Store(5)
	clock.advance(nodeinfoRefresh - time.Second)
	wantUsers(t, nodeinfoUsers(t, e, 100), 1)
	if n := usage.calls.Load(); n != 1 {
		t.Fatalf("usage read %d times within the interval, want 1", n)
	}

	// Past the interval one refresh starts in the background; while it is held
	// open, requests are still answered (with the previous counts) and start no other.
	gate := make(chan struct{})
	usage.set(gate, false)
	clock.advance(time.Second)
	wantUsers(t, nodeinfoUsers(t, e, 100), 1)
	// The refresh goroutine may not have run yet: wait for it to start, then
	// check that 100 more requests start no other.
	waitFor(t, "the background refresh to start", func() bool { return usage.calls.Load() >= 2 })
	wantUsers(t, nodeinfoUsers(t, e, 100), 1)
	if n := usage.calls.Load(); n != 2 {
		t.Fatalf("usage read %d times once the interval passed, want 2 (one background refresh)", n)
	}
	close(gate)
	usage.set(nil, false)
	waitFor(t, "the refreshed counts", func() bool { return nodeinfoUsers(t, e, 1)[5] })
	wantUsers(t, nodeinfoUsers(t, e, 100), 5)
	if n := usage.calls.Load(); n != 2 {
		t.Fatalf("usage read %d times, want 2", n)
	}

	// A failed refresh keeps the last document and is retried an interval later.
	usage.set(nil, true)
	usage.users.Store(9)
	clock.advance(nodeinfoRefresh)
	wantUsers(t, nodeinfoUsers(t, e, 100), 5)
	waitFor(t, "the failed refresh", func() bool { return usage.done.Load() == 3 })
	usage.set(nil, false)
	wantUsers(t, nodeinfoUsers(t, e, 100), 5)
	if n := usage.calls.Load(); n != 3 {
		t.Fatalf("usage read %d times after a failed refresh within the interval, want 3", n)
	}
	clock.advance(nodeinfoRefresh)
	nodeinfoUsers(t, e, 1)
	waitFor(t, "the counts after the retry", func() bool { return nodeinfoUsers(t, e, 1)[9] })
	if n := usage.calls.Load(); n != 4 {
		t.Fatalf("usage read %d times, want 4", n)
	}
}

// TestNodeinfoFirstRender: concurrent first requests share one render; a failed
// first render answers 500 and is not remembered.
func TestNodeinfoFirstRender(t *testing.T) {
	e, _, usage := discoveryServer(t)
	usage.set(nil, true)
	if rec := serve(e, "/nodeinfo/2.1"); rec.Code != http.StatusInternalServerError {
		t.Fatalf("nodeinfo with the database down: %d %s", rec.Code, rec.Body)
	}
	gate := make(chan struct{})
	usage.set(gate, false)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = serve(e, "/nodeinfo/2.1").Code
		}()
	}
	waitFor(t, "the first render to start", func() bool { return usage.calls.Load() == 2 })
	close(gate)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	if n := usage.calls.Load(); n != 2 {
		t.Fatalf("usage read %d times (one failed, then 20 concurrent first requests), want 2", n)
	}
}

// TestStaticDiscoveryDocuments: host-meta (XRD, and JSON by query or Accept) and
// the NodeInfo index, rendered once from the configuration.
func TestStaticDiscoveryDocuments(t *testing.T) {
	e, _, usage := discoveryServer(t)
	tmpl := "https://commons.example/.well-known/webfinger?resource={uri}"
	cases := []struct {
		name, path, accept string
		contentType, body  string
	}{
		{"host-meta XRD", "/.well-known/host-meta", "", "application/xrd+xml; charset=utf-8",
			`<Link rel="lrdd" template="` + tmpl + `"/>`},
		{"host-meta JSON by query", "/.well-known/host-meta?format=json", "", "application/json",
			`{"links":[{"rel":"lrdd","template":"` + tmpl + `"}]}`},
		{"host-meta JSON by Accept", "/.well-known/host-meta", "application/json", "application/json",
			`{"links":[{"rel":"lrdd","template":"` + tmpl + `"}]}`},
		{"nodeinfo index", "/.well-known/nodeinfo", "", "application/json",
			`{"links":[{"href":"https://commons.example/nodeinfo/2.1","rel":"` + nodeinfoSchema + `"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 3; i++ {
				var hdr []string
				if c.accept != "" {
					hdr = []string{"Accept", c.accept}
				}
				rec := serve(e, c.path, hdr...)
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.contentType ||
					!strings.Contains(rec.Body.String(), c.body) {
					t.Fatalf("%s: %d %q %s, want %q containing %s", c.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body, c.contentType, c.body)
				}
			}
		})
	}
	if n := usage.calls.Load(); n != 0 {
		t.Fatalf("the static documents read the usage counts %d times", n)
	}
}

// TestDocCacheRendersOncePerChange: the cache under the actor, instance actor
// and WebFinger documents renders once for many requests, again when an actor
// changes (the generation moves) or the TTL passes, and never keeps an error.
func TestDocCacheRendersOncePerChange(t *testing.T) {
	var gen atomic.Int64
	clock := &fakeClock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	c := newDocCache(gen.Load)
	c.now = clock.now
	renders := 0
	fail := false
	render := func() ([]byte, error) {
		renders++
		if fail {
			return nil, errors.New("down")
		}
		return []byte(fmt.Sprintf("v%d", renders)), nil
	}
	get := func(n int) string {
		t.Helper()
		var last string
		for i := 0; i < n; i++ {
			b, err := c.get("instance-actor", render)
			if err != nil {
				t.Fatal(err)
			}
			last = string(b)
		}
		return last
	}
	steps := []struct {
		name        string
		change      func()
		wantBody    string
		wantRenders int
	}{
		{"first", func() {}, "v1", 1},
		{"within the TTL", func() { clock.advance(docCacheTTL - time.Millisecond) }, "v1", 1},
		{"an actor changed", func() { gen.Add(1) }, "v2", 2},
		{"the TTL passed", func() { clock.advance(docCacheTTL) }, "v3", 3},
	}
	for _, s := range steps {
		s.change()
		if got := get(100); got != s.wantBody || renders != s.wantRenders {
			t.Fatalf("%s: body %q after %d renders, want %q after %d", s.name, got, renders, s.wantBody, s.wantRenders)
		}
	}
	gen.Add(1)
	fail = true
	if _, err := c.get("instance-actor", render); err == nil {
		t.Fatal("a failed render was not returned")
	}
	fail = false
	if got := get(100); got != "v5" || renders != 5 {
		t.Fatalf("after a failed render: body %q after %d renders, want v5 after 5", got, renders)
	}
}
