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
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.NewLogger(cfg.Log, testWriter{t}))
	if err != nil {
		cancel()
		ln.Close()
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
			t.Errorf("instance %s did not shut down", host)
		}
		a.Close()
	})
	inst := &Instance{URL: cfg.Server.PublicURL, Host: host, App: a, Cfg: cfg,
		Client: &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	inst.waitReady(t)
	return inst
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
