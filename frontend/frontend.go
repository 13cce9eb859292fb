// Package frontend serves the server-rendered web UI (templates and static files
// embedded with go:embed, so no Node build step is needed to run or test it).
package frontend

import (
	"log/slog"
	"net/http"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// Web holds the HTML handlers.
type Web struct {
	cfg config.Config
	svc *service.Service
	log *slog.Logger
}

// New builds the web UI.
func New(cfg config.Config, svc *service.Service, log *slog.Logger) *Web {
	return &Web{cfg: cfg, svc: svc, log: log}
}

// Register mounts the pages.
func (w *Web) Register(e *echo.Echo) {}

// Negotiated renders an actor's profile page for browsers.
func (w *Web) Negotiated(c echo.Context) error { return c.String(http.StatusOK, "profile") }

// ErrorPage renders an error for browsers.
func (w *Web) ErrorPage(c echo.Context, status int, msg string) error {
	return c.String(status, msg)
}
