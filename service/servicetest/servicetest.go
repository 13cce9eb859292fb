// Package servicetest builds wired services for the domain packages' tests,
// which drive the facade as its callers do.
package servicetest

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
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

// Recorder stands in for the federation edge (service.Publisher) and keeps
// what was published, for tests that check which activities a change sends.
type Recorder struct {
	mu  sync.Mutex
	Out []*service.Outbound
}

// Publish implements service.Publisher.
// Like the federation edge, it gives an activity published while carrying
// out a decision that decision's proposal as its context.
func (r *Recorder) Publish(ctx context.Context, _ *store.Store, out *service.Outbound) error {
	if out.Context == "" {
		out.Context = service.DecisionOf(ctx)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Out = append(r.Out, out)
	return nil
}

// Sent counts the published activities of type typ.
func (r *Recorder) Sent(typ string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, o := range r.Out {
		if o.Type == typ {
			n++
		}
	}
	return n
}

// Take returns and forgets what was published since the last call.
func (r *Recorder) Take() []*service.Outbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.Out
	r.Out = nil
	return l
}

// MailRecorder stands in for the SMTP mailer (core.Mailer): enabled, it keeps
// every message sent (inside the caller's transaction, as the real one enqueues).
type MailRecorder struct {
	mu   sync.Mutex
	Sent []core.Mail
}

// Enabled reports true: the instance "has" SMTP.
func (r *MailRecorder) Enabled() bool { return true }

// Send records m.
func (r *MailRecorder) Send(_ context.Context, _ *store.Store, m core.Mail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Sent = append(r.Sent, m)
	return nil
}

// Mails returns a copy of the messages sent so far.
func (r *MailRecorder) Mails() []core.Mail {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.Mail(nil), r.Sent...)
}

// NotificationLimits is an edit for New: the prune job's retention and
// per-account cap (notifications.retention, notifications.max_per_user), for
// tests of packages that may not import config.
func NotificationLimits(retention time.Duration, maxPerUser int) func(*config.Config) {
	return func(c *config.Config) {
		c.Notifications.Retention = retention
		c.Notifications.MaxPerUser = maxPerUser
	}
}
