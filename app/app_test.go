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
	"github.com/commonsd/commonsd/service"
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

// TestQueueWiredIntoService: app builds one queue and hands it to the service as
// its Jobs and DeliveryLog ports (a job the service writes is a row of that queue).
func TestQueueWiredIntoService(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "q.db")
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Queue == nil || a.Svc.Jobs != service.Jobs(a.Queue) || a.Svc.Deliveries != service.DeliveryLog(a.Queue) {
		t.Fatalf("service ports not wired to the app's queue: jobs %T, deliveries %T", a.Svc.Jobs, a.Svc.Deliveries)
	}
	ctx := context.Background()
	if err := a.Svc.Jobs.ScheduleAt(ctx, a.Store, wiredJob{}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	counts, err := a.Queue.Counts(ctx, wiredJob{}.Kind())
	if err != nil || counts["scheduled"] != 1 {
		t.Fatalf("scheduled job not in the app's queue: %v %v", counts, err)
	}
}

type wiredJob struct{}

func (wiredJob) Kind() string { return "test_wired" }

// freeAddr returns a loopback address nobody listens on (for a listener Serve
// opens itself).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestProbesAndMetrics: /healthz, /readyz and Prometheus metrics with HTTP latency by
// route and the database pool, served only on server.metrics_listen: the public
// listener answers 404 to /metrics.
func TestProbesAndMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "c.db")
	cfg.Server.PublicURL = "http://" + ln.Addr().String()
	cfg.Server.MetricsListen = freeAddr(t)
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
	if s, _ := get("/metrics"); s != http.StatusNotFound {
		t.Fatalf("public /metrics: %d, want 404", s)
	}
	var metrics string
	eventually(t, func() bool {
		resp, err := http.Get("http://" + cfg.Server.MetricsListen + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		metrics = string(b)
		return resp.StatusCode == 200
	})
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

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met in 10 s")
}

// serveApp starts an instance with cfg changed by mod and returns its base URL.
func serveApp(t *testing.T, mod func(*config.Config)) (*app.App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = filepath.Join(cfg.DataDir, "c.db")
	cfg.Server.PublicURL = "http://" + ln.Addr().String()
	if mod != nil {
		mod(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, app.RoleAll) }()
	t.Cleanup(func() { cancel(); <-done; a.Close() })
	return a, cfg.Server.PublicURL
}

// TestMetricsNotPublicByDefault: with the default configuration there is no
// metrics endpoint; /metrics on the public listener is 404, for any Accept.
func TestMetricsNotPublicByDefault(t *testing.T) {
	_, base := serveApp(t, nil)
	for _, accept := range []string{"", "text/plain", "application/json", "text/html"} {
		req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(b), "go_goroutines") {
			t.Fatalf("Accept %q: /metrics answered %d %.80s", accept, resp.StatusCode, b)
		}
	}
}

// TestStalledClientsAreCutOff: a client that sends part of its headers, or its
// headers and part of a body, and then stalls, gets an answer or a closed
// connection once server.read_timeout passes; a handler that outlives
// server.request_timeout answers 503. The client's own deadline (30 s) is only
// a safety net: reaching it fails the test.
func TestStalledClientsAreCutOff(t *testing.T) {
	a, base := serveApp(t, func(c *config.Config) {
		c.Server.ReadTimeout = 300 * time.Millisecond
		c.Server.RequestTimeout = 300 * time.Millisecond
	})
	a.Echo.GET("/test/wait", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	host := strings.TrimPrefix(base, "http://")
	for _, tc := range []struct {
		name, send string
	}{
		{"headers never finished", "POST /api/v1/auth/token HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"},
		{"body stalled (API)", "POST /api/v1/auth/token HTTP/1.1\r\nHost: " + host +
			"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"username\":"},
		{"body stalled (inbox)", "POST /inbox HTTP/1.1\r\nHost: " + host +
			"\r\nContent-Type: application/activity+json\r\nContent-Length: 5000\r\n\r\n{\"type\":"},
		{"body stalled (login form)", "POST /login HTTP/1.1\r\nHost: " + host +
			"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nusername=a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.send); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = io.Copy(io.Discard, conn) // until the server answers and closes
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server still held the stalled connection after 30 s")
			}
		})
	}
	t.Run("handler past request_timeout", func(t *testing.T) {
		c := &http.Client{Timeout: 30 * time.Second}
		resp, err := c.Get(base + "/test/wait")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", resp.StatusCode)
		}
	})
}
