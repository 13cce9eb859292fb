package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/config"
	"github.com/labstack/echo/v4"
)

// TestGracefulShutdown: a request in flight when the process is told to stop
// (SIGTERM cancels Serve's context) still completes, and Serve returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "c.db")
	cfg.Server.PublicURL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	started, release := make(chan struct{}), make(chan struct{})
	a.Echo.GET("/slow", func(c echo.Context) error {
		close(started)
		<-release // held until the shutdown is under way
		return c.String(http.StatusOK, "done")
	})
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, app.RoleAll) }()

	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(cfg.Server.PublicURL + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	<-started
	cancel() // what SIGTERM does in cmd/commonsd
	// The shutdown has begun once the listener refuses connections; only then does
	// the in-flight request finish.
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections 10 s after the stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	r := <-res
	if r.err != nil || r.status != 200 || r.body != "done" {
		t.Fatalf("in-flight request: %+v", r)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return")
	}
	if _, err := http.Get(cfg.Server.PublicURL + "/healthz"); err == nil {
		t.Fatal("still accepting requests after shutdown")
	}
}

func TestServeRejectsUnknownRole(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "c.db")
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Serve(context.Background(), nil, "janitor"); err == nil {
		t.Fatal("unknown role accepted")
	}
}

// TestProbesAndMetrics: /healthz, /readyz and Prometheus metrics with HTTP latency by
// route and the database pool.
func TestProbesAndMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "c.db")
	cfg.Server.PublicURL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, app.RoleAll) }()
	t.Cleanup(func() { cancel(); <-done; a.Close() })
	get := func(path string) (int, string) {
		resp, err := http.Get(cfg.Server.PublicURL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, p := range []string{"/healthz", "/readyz", "/.well-known/nodeinfo"} {
		if s, body := get(p); s != 200 {
			t.Fatalf("%s: %d %s", p, s, body)
		}
	}
	_, metrics := get("/metrics")
	for _, want := range []string{
		`commonsd_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200"`,
		`commonsd_http_request_duration_seconds_count{method="GET",route="/.well-known/nodeinfo",status="200"}`,
		`go_sql_max_open_connections{db_name="commonsd"}`,
		`go_sql_in_use_connections{db_name="commonsd"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Readiness follows the database: closed database, not ready.
	a.Store.Close()
	if s, _ := get("/readyz"); s != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed database: %d", s)
	}
}
