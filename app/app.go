// Package app wires one instance together: config → store → queue → service →
// federation, API and web handlers → HTTP server and background workers. It is the
// only package that sees them all: it builds the job queue and hands it to the
// service (as its Jobs and DeliveryLog ports) and to the federation edge (which
// registers its workers on it). cmd/commonsd and the
// test harness (apptest) both build instances through New, so tests run exactly
// what production runs.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/commonsd/commonsd/api"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/frontend"
	"github.com/commonsd/commonsd/mail"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/server"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Process roles: a large community runs web and worker processes separately.
const (
	RoleAll    = "all"
	RoleWeb    = "web"
	RoleWorker = "worker"
)

// App is one running instance.
type App struct {
	Cfg     config.Config
	Log     *slog.Logger
	Store   *store.Store
	Svc     *service.Service
	Queue   *queue.Queue
	Fed     *federation.Federation
	Echo    *echo.Echo
	Metrics *prometheus.Registry
}

// NewLogger builds the slog logger the configuration asks for.
func NewLogger(cfg config.Log, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Open connects to the database and applies migrations (what `migrate` does).
func Open(ctx context.Context, cfg config.Config) (*store.Store, error) {
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: cfg.Database.MaxOpenConns})
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.Migrate(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// New builds an instance on a migrated store.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = NewLogger(cfg.Log, os.Stderr)
	}
	st, err := Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	keys, err := service.LoadKeys(cfg.Security.SecretKey, cfg.DataDir)
	if err != nil {
		st.Close()
		return nil, err
	}
	svc := service.New(cfg, st, keys, log)
	if _, err := svc.EnsureInstanceActor(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("instance actor: %w", err)
	}
	if n, err := svc.Actors.EnsureEd25519Keys(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("ed25519 keys: %w", err)
	} else if n > 0 {
		log.Info("made Ed25519 keys for existing local actors", "count", n)
	}
	q, err := queue.New(st, queue.OptionsFromConfig(cfg), log)
	if err != nil {
		st.Close()
		return nil, err
	}
	svc.SetQueue(q, q)
	fed, err := federation.New(cfg, svc, q, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	// The service's own jobs (service.Jobs): their handlers are the service's.
	if err := queue.AddWorker(q, svc.Actors.VerifyFields); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddWorker(q, svc.Governance.RunCloseJob); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddWorker(q, svc.Governance.RunTallyJob); err != nil {
		st.Close()
		return nil, err
	}
	// E-mail: SMTP from the configuration (NoMailer when smtp.host is empty),
	// each message a job; the daily digests are jobs too.
	mailer := mail.FromConfig(cfg.SMTP, q, log)
	svc.SetMailer(mailer)
	if err := mail.Register(q, mailer); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddWorker(q, svc.Notifications.RunDigestJob); err != nil {
		st.Close()
		return nil, err
	}
	// Old read notifications and those past the per-account cap are deleted
	// once a day (config notifications.retention and max_per_user).
	if err := queue.AddWorker(q, svc.Notifications.RunPruneJob); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddPeriodic(q, service.NotificationsPruneEvery, service.NotificationsPrune{}); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddWorker(q, svc.Economy.RunCloseJob); err != nil {
		st.Close()
		return nil, err
	}
	if err := queue.AddWorker(q, svc.Economy.RunProgressJob); err != nil {
		st.Close()
		return nil, err
	}
	web := frontend.New(cfg, svc, log)
	e, reg := server.New(server.Options{
		Log: log, DB: st.SQL(), Ready: st.Ready, TrustProxy: cfg.Server.TrustProxy,
		HTMLError: web.ErrorPage, RequestTimeout: cfg.Server.RequestTimeout,
	})
	a := &App{Cfg: cfg, Log: log, Store: st, Svc: svc, Queue: q, Fed: fed, Echo: e, Metrics: reg}
	fed.Register(e, federation.HTMLPages{Profile: web.Negotiated, Contribution: web.ContributionPage, Proposal: web.ProposalRedirect,
		Appeal: web.AppealPage, Funds: web.FundsPage, Announcement: web.AnnouncementPage})
	api.New(svc).Register(e)
	web.Register(e)
	return a, nil
}

// Close releases the database.
func (a *App) Close() error { return a.Store.Close() }

// Serve runs the HTTP server (roles all and web) and the background workers (roles
// all and worker) until ctx is cancelled, then shuts down gracefully: in-flight
// requests finish (up to server.shutdown_timeout) and workers stop taking jobs.
func (a *App) Serve(ctx context.Context, ln net.Listener, role string) error {
	switch role {
	case RoleAll, RoleWeb, RoleWorker:
	default:
		return fmt.Errorf("unknown role %q (all, web or worker)", role)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if role != RoleWeb {
		if err := a.Queue.Start(ctx); err != nil {
			return err
		}
	}
	errLog := slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)
	srv := server.HTTPServer(a.Echo, server.Timeouts{Read: a.Cfg.Server.ReadTimeout, Idle: a.Cfg.Server.IdleTimeout}, errLog)
	// Metrics only on their own listener (server.metrics_listen), if any.
	var metrics *http.Server
	if a.Cfg.Server.MetricsListen != "" {
		mln, err := net.Listen("tcp", a.Cfg.Server.MetricsListen)
		if err != nil {
			return fmt.Errorf("server.metrics_listen: %w", err)
		}
		metrics = server.HTTPServer(server.MetricsHandler(a.Metrics), server.Timeouts{Read: 10 * time.Second, Idle: time.Minute}, errLog)
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Log.Info("metrics listening", "addr", mln.Addr().String())
			if err := metrics.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
				cancel()
			}
		}()
	}
	if role != RoleWorker || ln != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Log.Info("listening", "addr", ln.Addr().String(), "public_url", a.Cfg.Server.PublicURL, "role", role)
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
				cancel()
			}
		}()
	}
	<-ctx.Done()
	shutCtx, stop := context.WithTimeout(context.Background(), a.Cfg.Server.ShutdownTimeout)
	defer stop()
	if metrics != nil {
		_ = metrics.Close()
	}
	err := srv.Shutdown(shutCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Requests still running (or connections opened but silent: net/http waits
		// up to 5 s for those) past the grace period are cut, as a process manager
		// would after its own timeout.
		a.Log.Warn("graceful shutdown timed out; closing remaining connections")
		_ = srv.Close()
		err = nil
	}
	_ = a.Queue.Stop(shutCtx)
	wg.Wait()
	select {
	case e := <-errc:
		return e
	default:
	}
	if err != nil && !strings.Contains(err.Error(), "closed") {
		return err
	}
	return nil
}
