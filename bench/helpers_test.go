package bench

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/bench/loadgen"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store/storetest"
)

// Concurrency is the number of connections (and goroutines) of the closed-loop load.
const Concurrency = 64

// phase is how long each measured phase runs (BENCH_DURATION, default 3s).
func phase() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("BENCH_DURATION")); err == nil && d > 0 {
		return d
	}
	return 3 * time.Second
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// The load generator is bench/loadgen's, shared with bench/cmd/load; these
// fix what the benchmarks of this package always pass.

// newClient is a keep-alive client able to hold every connection open.
func newClient(timeout time.Duration) *http.Client { return loadgen.NewClient(Concurrency, timeout) }

// closedLoop is loadgen.ClosedLoop without a CPU reading (the benchmarks read
// their own process's).
func closedLoop(conc int, dur time.Duration, max int, do func(i int) int) loadgen.Result {
	return loadgen.ClosedLoop(conc, dur, max, nil, do)
}

// get sends a GET and drains the answer.
func get(c *http.Client, url, accept string) int { return loadgen.Get(c, url, accept, nil) }

func quantile(lat []time.Duration, p float64) float64 { return loadgen.Quantile(lat, p) }

// startInstance starts a full instance on driver with one local user, ada.
func startInstance(b *testing.B, driver string, opts ...apptest.Option) (*apptest.Instance, *models.Actor) {
	b.Helper()
	return startInstanceRole(b, driver, app.RoleAll, opts...)
}

// startInstanceRole is startInstance in a process role.
func startInstanceRole(b *testing.B, driver, role string, opts ...apptest.Option) (*apptest.Instance, *models.Actor) {
	b.Helper()
	inst := apptest.StartRole(b, role, append([]apptest.Option{apptest.WithDriver(driver)}, opts...)...)
	ctx := context.Background()
	u, err := inst.App.Svc.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "a long password"})
	if err != nil {
		b.Fatal(err)
	}
	act, err := inst.App.Svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	return inst, act
}

// eachDriver runs fn as a sub-benchmark on SQLite and, when
// COMMONSD_TEST_POSTGRES_DSN is set, on PostgreSQL.
func eachDriver(b *testing.B, fn func(b *testing.B, driver string)) {
	for _, d := range storetest.Drivers(b) {
		b.Run(d, func(b *testing.B) { fn(b, d) })
	}
}

// report sets the metrics of a benchmark that measures once whatever b.N is, and
// hides ns/op, which means nothing here.
func report(b *testing.B, kv ...any) {
	b.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		b.ReportMetric(kv[i+1].(float64), kv[i].(string))
	}
	b.ReportMetric(0, "ns/op")
}
