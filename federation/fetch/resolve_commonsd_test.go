package fetch_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation/fetch"
	"github.com/commonsd/commonsd/service"
)

// TestResolveAgainstCommonsd resolves @ada@B from instance A's fetcher over
// WebFinger on a real second instance.
func TestResolveAgainstCommonsd(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	if _, err := b.App.Svc.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pol := fetch.NewPolicy(a.Cfg.Federation, a.App.Store, log)
	f := fetch.New(a.Cfg, a.App.Store, a.App.Svc.Actors, fetch.NewHTTPClient(a.Cfg.Federation.AllowPrivateAddresses, pol), pol, log)

	href, err := f.WebFinger(ctx, "ada", b.Host)
	if err != nil || href != b.ActorURL("ada") {
		t.Fatalf("WebFinger on B: %q, %v", href, err)
	}
	act, err := f.Resolve(ctx, b.Handle("ada"))
	if err != nil {
		t.Fatal(err)
	}
	if act.URI != b.ActorURL("ada") || act.Domain != b.Host || act.Username != "ada" {
		t.Errorf("resolved %+v", act)
	}
}
