package bench

import (
	"context"
	"github.com/commonsd/commonsd/app"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
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

// newClient is a keep-alive client able to hold every connection open.
func newClient(timeout time.Duration) *http.Client {
	tr := &http.Transport{MaxIdleConns: 4096, MaxIdleConnsPerHost: Concurrency, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// result of one load phase.
type result struct {
	n, errors int
	status    map[int]int
	lat       []time.Duration
	elapsed   time.Duration
}

func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// quantile of the recorded latencies in milliseconds.
func (r result) q(p float64) float64 { return quantile(r.lat, p) }

func quantile(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p)
	return float64(s[i]) / float64(time.Millisecond)
}

// closedLoop runs conc workers for dur (or until max requests, if max > 0), each
// sending its next request as soon as the previous one is answered. do sends request
// number i and returns the status (0 on a transport error).
func closedLoop(conc int, dur time.Duration, max int, do func(i int) int) result {
	var next atomic.Int64
	var mu sync.Mutex
	res := result{status: map[int]int{}}
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			st := map[int]int{}
			for time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if max > 0 && i >= max {
					break
				}
				t0 := time.Now()
				s := do(i)
				lat = append(lat, time.Since(t0))
				st[s]++
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			for k, v := range st {
				res.status[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	for s, c := range res.status {
		res.n += c
		if s == 0 || s >= 400 {
			res.errors += c
		}
	}
	return res
}

// get sends a GET and drains the answer.
func get(c *http.Client, url, accept string) int {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

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
