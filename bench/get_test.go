package bench

import (
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
)

const apAccept = "application/activity+json"

// bareServer answers every GET with body: the ceiling of the HTTP stack on this box.
func bareServer(b *testing.B, contentType string, body []byte) string {
	b.Helper()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/*", func(c echo.Context) error { return c.Blob(http.StatusOK, contentType, body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: e}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

func fetchBody(b *testing.B, c *http.Client, url, accept string) (string, []byte) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", accept)
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	return resp.Header.Get("Content-Type"), body
}

// BenchmarkGET: actor documents and WebFinger at 64 keep-alive connections, each
// next to a bare echo handler returning a fixed body of the same size, measured in
// the same run. Targets: ≥ 50 % of the bare rate, p99 ≤ 10 ms.
func BenchmarkGET(b *testing.B) {
	eachDriver(b, func(b *testing.B, driver string) {
		inst, _ := startInstance(b, driver)
		c := newClient(0)
		for _, tc := range []struct{ name, url, accept string }{
			{"actor", inst.ActorURL("ada"), apAccept},
			{"webfinger", inst.URL + "/.well-known/webfinger?resource=acct:ada@" + inst.Host, "application/jrd+json"},
		} {
			b.Run(tc.name, func(b *testing.B) {
				ct, body := fetchBody(b, c, tc.url, tc.accept)
				bare := bareServer(b, ct, body)
				// Warm up both: connections, caches, the JIT of the CPU's branch predictors.
				closedLoop(Concurrency, phase()/6, 0, func(int) int { return get(c, bare, tc.accept) })
				closedLoop(Concurrency, phase()/6, 0, func(int) int { return get(c, tc.url, tc.accept) })
				rb := closedLoop(Concurrency, phase(), 0, func(int) int { return get(c, bare, tc.accept) })
				r := closedLoop(Concurrency, phase(), 0, func(int) int { return get(c, tc.url, tc.accept) })
				if r.Errors > 0 || rb.Errors > 0 {
					b.Errorf("errors: %d of %d (statuses %v); bare %d", r.Errors, r.N, r.Status, rb.Errors)
				}
				b.Logf("%s %s: %d bytes, %.0f req/s p50 %.2f ms p99 %.2f ms; bare %.0f req/s p99 %.2f ms",
					driver, tc.name, len(body), r.Rate(), r.Q(.5), r.Q(.99), rb.Rate(), rb.Q(.99))
				report(b, "req/s", r.Rate(), "p99-ms", r.Q(.99), "bare-req/s", rb.Rate(), "bare-p99-ms", rb.Q(.99),
					"%bare", 100*r.Rate()/rb.Rate())
			})
		}
	})
}
