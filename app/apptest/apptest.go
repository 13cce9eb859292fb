// Package apptest starts full commonsd instances for tests: a real HTTP server on
// 127.0.0.1:0, a real database of its own (SQLite file, or a PostgreSQL schema), the
// real workers. Federation tests start two or three and let them talk over loopback.
package apptest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/store/storetest"
)

// Instance is a running test instance.
type Instance struct {
	URL    string // public URL, e.g. http://127.0.0.1:38123
	Host   string // host:port, the domain part of handles
	App    *app.App
	Cfg    config.Config
	Client *http.Client
}

// Option changes the configuration before start.
type Option func(*config.Config)

// WithDriver runs the instance on "sqlite" or "postgres".
func WithDriver(d string) Option { return func(c *config.Config) { c.Database.Driver = d } }

// Start runs an instance until the test ends. The database is SQLite unless
// COMMONSD_TEST_DRIVER=postgres or an option says otherwise.
func Start(t testing.TB, opts ...Option) *Instance {
	t.Helper()
	return StartRole(t, app.RoleAll, opts...)
}

// StartRole runs an instance in a process role (app.RoleWeb: HTTP only, jobs are
// stored but not worked).
func StartRole(t testing.TB, role string, opts ...Option) *Instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Server.Listen = host
	cfg.Server.PublicURL = "http://" + host
	cfg.Server.ShutdownTimeout = 3 * time.Second
	cfg.Federation.AllowPrivateAddresses = true
	cfg.Log.Level = "warn"
	cfg.Database.Driver = "sqlite"
	if d := os.Getenv("COMMONSD_TEST_DRIVER"); d != "" {
		cfg.Database.Driver = d
	}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.Database.DSN = storetest.NewDatabase(t, cfg.Database.Driver)
	a := serve(t, cfg, ln, role)
	inst := &Instance{URL: cfg.Server.PublicURL, Host: host, App: a, Cfg: cfg,
		Client: &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	inst.waitReady(t)
	return inst
}

// StartWorker runs another process of this instance in role worker: the same
// configuration, keys and database, no HTTP server (a web + worker deployment).
func (i *Instance) StartWorker(t testing.TB) *app.App {
	t.Helper()
	return serve(t, i.Cfg, nil, app.RoleWorker)
}

// serve builds an app on cfg and serves it in role until the test ends.
func serve(t testing.TB, cfg config.Config, ln net.Listener, role string) *app.App {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.NewLogger(cfg.Log, testWriter{t}))
	if err != nil {
		cancel()
		if ln != nil {
			ln.Close()
		}
		t.Fatalf("start instance: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, role) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("instance %s (%s) did not shut down", cfg.Server.PublicURL, role)
		}
		a.Close()
	})
	return a
}

func (i *Instance) waitReady(t testing.TB) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := i.Client.Get(i.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("instance %s not ready", i.URL)
}

// Handle returns @name@host for a local username.
func (i *Instance) Handle(name string) string { return fmt.Sprintf("@%s@%s", name, i.Host) }

// ActorURL returns a local actor's id.
func (i *Instance) ActorURL(name string) string { return i.URL + "/users/" + name }

// testWriter sends the instance's logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Eventually polls cond every 50 ms until it holds, failing the test after 20 s:
// federation is asynchronous (deliveries and inbox processing are queue jobs).
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// idleHorizon: a job scheduled this soon (a snoozed delivery, a quick retry)
// counts as pending work; one scheduled later cannot run while a test waits.
const idleHorizon = 5 * time.Second

// busyJobs counts the jobs of the instance's queue that are pending, available or
// running, or scheduled or retryable within idleHorizon. River compares its
// SQLite timestamps as text in this same format.
func (i *Instance) busyJobs(t testing.TB) int64 {
	t.Helper()
	secs := int(idleHorizon / time.Second)
	due := fmt.Sprintf("scheduled_at <= now() + interval '%d seconds'", secs)
	if i.App.Store.Driver == "sqlite" {
		due = fmt.Sprintf("scheduled_at <= datetime('now', '+%d seconds', 'subsec')", secs)
	}
	var n int64
	err := i.App.Store.DB.Raw("SELECT count(*) FROM river_job WHERE state IN ('pending', 'available', 'running')" +
		" OR (state IN ('scheduled', 'retryable') AND " + due + ")").Scan(&n).Error
	if err != nil {
		t.Fatalf("count jobs of %s: %v", i.URL, err)
	}
	return n
}

// WaitQueueIdle waits until the instance's job queue has nothing left to do now
// (see busyJobs), failing the test after 20 s. Tests that check that something did
// NOT happen wait on it instead of sleeping: once the queue is idle, every inbox
// activity has been processed and every delivery attempted.
func (i *Instance) WaitQueueIdle(t testing.TB) {
	t.Helper()
	WaitIdle(t, i)
}

// WaitIdle waits until the queues of all the instances are idle together, twice in
// a row (a delivery finishing on one instance can queue work on another between
// two checks), failing the test after 20 s.
func WaitIdle(t testing.TB, insts ...*Instance) {
	t.Helper()
	waitIdle(t, 20*time.Second, insts...)
}

func waitIdle(t testing.TB, timeout time.Duration, insts ...*Instance) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	quiet := 0
	for {
		busy := map[string]int64{}
		for _, i := range insts {
			if n := i.busyJobs(t); n > 0 {
				busy[i.URL] = n
			}
		}
		if len(busy) == 0 {
			if quiet++; quiet == 2 {
				return
			}
		} else {
			quiet = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("job queues not idle after %s; busy jobs: %v", timeout, busy)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
