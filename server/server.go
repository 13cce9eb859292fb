// Package server builds the HTTP stack every handler package plugs into: echo with
// request logging (slog), panic recovery, per-request deadlines, Prometheus metrics by
// route (served by MetricsHandler on a separate listener), health and readiness probes, and one error renderer that turns *errs.Error into a status and a
// client-safe message (JSON for API and ActivityPub clients, text/HTML otherwise).
package server

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"database/sql"
	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configures the stack.
type Options struct {
	Log        *slog.Logger
	DB         *sql.DB
	Ready      func(context.Context) error
	TrustProxy bool
	// HTMLError renders an error page for browsers; nil means plain text.
	HTMLError func(c echo.Context, status int, msg string) error
	// RequestTimeout is the deadline put on every request's context; a
	// handler that runs out of it answers 503. Zero means none.
	RequestTimeout time.Duration
}

// Timeouts are the connection-level limits of the public listener.
type Timeouts struct {
	// Read bounds reading a whole request, headers and body. Headers alone
	// get at most MaxHeaderRead of it.
	Read time.Duration
	// Idle closes a kept-alive connection that sends no request.
	Idle time.Duration
}

// MaxHeaderRead is the longest a client may take to send its request headers.
const MaxHeaderRead = 10 * time.Second

// HTTPServer returns the http.Server for handler with read deadlines set, so
// a client that sends headers slowly, or headers and then part of a body and
// stalls, is cut off instead of holding a connection and a goroutine (and, on
// the inbox, a processing slot) for ever.
func HTTPServer(handler http.Handler, t Timeouts, errLog *log.Logger) *http.Server {
	header := t.Read
	if header <= 0 || header > MaxHeaderRead {
		header = MaxHeaderRead
	}
	return &http.Server{Handler: handler, ReadHeaderTimeout: header, ReadTimeout: t.Read, IdleTimeout: t.Idle,
		ErrorLog: errLog}
}

// MetricsHandler serves reg's metrics in the Prometheus text format. It is
// mounted on a separate listener (server.metrics_listen), never on the public
// one: metrics reveal routes, traffic and pool sizes.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// New returns an echo instance with the shared middleware and probes installed.
func New(o Options) (*echo.Echo, *prometheus.Registry) {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	if o.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.DB != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(o.DB, "commonsd"))
	}
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "commonsd_http_request_duration_seconds",
		Help:    "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route", "status"})
	reg.MustRegister(latency)

	e.HTTPErrorHandler = errorHandler(o)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			d := time.Since(start)
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			latency.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Observe(d.Seconds())
			if o.Log != nil && (status >= 500 || o.Log.Enabled(c.Request().Context(), slog.LevelDebug)) {
				level := slog.LevelDebug
				if status >= 500 {
					level = slog.LevelError
				}
				o.Log.Log(c.Request().Context(), level, "http", "method", c.Request().Method, "path", c.Request().URL.Path,
					"route", route, "status", status, "duration", d, "ip", c.RealIP(), "err", err)
			}
			return nil
		}
	})
	if o.RequestTimeout > 0 {
		e.Use(middleware.ContextTimeout(o.RequestTimeout))
	}
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin",
	}))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", func(c echo.Context) error {
		if o.Ready != nil {
			ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
			defer cancel()
			if err := o.Ready(ctx); err != nil {
				return c.String(http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
			}
		}
		return c.String(http.StatusOK, "ready\n")
	})
	return e, reg
}

// WantsJSON reports whether the client prefers JSON (API, ActivityPub) to HTML.
func WantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	acc := r.Header.Get("Accept")
	return strings.Contains(acc, "json") && !strings.Contains(acc, "text/html")
}

func errorHandler(o Options) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, msg := errs.Status(err), errs.Message(err)
		var he *echo.HTTPError
		if errors.As(err, &he) {
			status = he.Code
			if m, ok := he.Message.(string); ok {
				msg = m
			} else {
				msg = http.StatusText(status)
			}
		}
		if status >= 500 && o.Log != nil {
			o.Log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			if c.Response().Header().Get("Retry-After") == "" {
				c.Response().Header().Set("Retry-After", "60")
			}
		}
		var werr error
		switch {
		case c.Request().Method == http.MethodHead:
			werr = c.NoContent(status)
		case WantsJSON(c.Request()) || o.HTMLError == nil:
			if WantsJSON(c.Request()) {
				werr = c.JSON(status, map[string]string{"error": msg})
			} else {
				werr = c.String(status, msg+"\n")
			}
		default:
			werr = o.HTMLError(c, status, msg)
		}
		if werr != nil && o.Log != nil {
			o.Log.Warn("writing error response", "err", werr)
		}
	}
}
