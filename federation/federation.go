// Package federation is the ActivityPub edge of commonsd: actor documents,
// WebFinger, host-meta and NodeInfo discovery, and (as the federation core lands)
// signed inboxes, outboxes, collections, remote fetching and durable delivery. It
// decides no domain rule: it verifies, translates and calls the service layer.
package federation

import (
	"context"
	"log/slog"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// Federation holds the ActivityPub edge of one instance.
type Federation struct {
	cfg config.Config
	svc *service.Service
	log *slog.Logger
}

// New builds the federation edge.
func New(cfg config.Config, svc *service.Service, log *slog.Logger) (*Federation, error) {
	return &Federation{cfg: cfg, svc: svc, log: log}, nil
}

// Register mounts the discovery and ActivityPub routes. html renders the profile
// page for browsers that open an actor's URL (content negotiation on one URL).
func (f *Federation) Register(e *echo.Echo, html echo.HandlerFunc) {
	e.GET("/.well-known/webfinger", f.webfinger)
	e.GET("/.well-known/host-meta", f.hostMeta)
	e.GET("/.well-known/nodeinfo", f.nodeinfoIndex)
	e.GET("/nodeinfo/2.1", f.nodeinfo)
}

// StartWorkers starts the background workers (delivery, inbox processing).
func (f *Federation) StartWorkers(ctx context.Context) error { return nil }

// StopWorkers stops them, letting running jobs finish until ctx ends.
func (f *Federation) StopWorkers(ctx context.Context) {}
