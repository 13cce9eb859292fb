// Package servicetest builds wired services for the domain packages' tests,
// which drive the facade as its callers do.
package servicetest

import (
	"io"
	"log/slog"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// New wires a service on st with the default configuration, changed by edit
// when given (the domains take their configuration when built), and no ports:
// publishing is a no-op, jobs are refused.
func New(t testing.TB, st *store.Store, edit ...func(*config.Config)) *service.Service {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	for _, e := range edit {
		e(&cfg)
	}
	keys, err := service.LoadKeys("", cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	return service.New(cfg, st, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// Status is err's HTTP status, 0 for nil.
func Status(err error) int {
	if err == nil {
		return 0
	}
	return errs.Status(err)
}
