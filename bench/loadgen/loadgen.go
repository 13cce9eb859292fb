// Package loadgen is the closed-loop load generator shared by the benchmarks
// of package bench (in-process instances) and by bench/cmd/load (a server in
// another process, pinned to a core): the same loop, latency quantiles and
// keep-alive client, so that their numbers compare.
package loadgen

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result of one closed-loop load.
type Result struct {
	N       int         // requests answered or failed
	Errors  int         // transport errors (status 0) and statuses ≥ 400
	Status  map[int]int // count per status, 0 for a transport error
	Lat     []time.Duration
	Elapsed time.Duration
	CPU     time.Duration // CPU of the measured process over the load (ClosedLoop's cpu)
}

// Rate is requests per second.
func (r Result) Rate() float64 { return float64(r.N) / r.Elapsed.Seconds() }

// Q is the latency quantile p (0..1) in milliseconds.
func (r Result) Q(p float64) float64 { return Quantile(r.Lat, p) }

// CPUPer is the measured process's CPU per request in milliseconds.
func (r Result) CPUPer() float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.CPU) / float64(time.Millisecond) / float64(r.N)
}

// Quantile p of lat in milliseconds.
func Quantile(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return float64(s[int(float64(len(s)-1)*p)]) / float64(time.Millisecond)
}

// ClosedLoop runs conc workers for dur (or until max requests when max > 0),
// each sending its next request as soon as the previous one is answered. do
// sends request number i and returns the status (0 on a transport error). cpu,
// when not nil, reads the CPU time of the process under load (before and after).
func ClosedLoop(conc int, dur time.Duration, max int, cpu func() time.Duration, do func(i int) int) Result {
	var next atomic.Int64
	var mu sync.Mutex
	res := Result{Status: map[int]int{}}
	var cpu0 time.Duration
	if cpu != nil {
		cpu0 = cpu()
	}
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
			res.Lat = append(res.Lat, lat...)
			for k, v := range st {
				res.Status[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if cpu != nil {
		res.CPU = cpu() - cpu0
	}
	for s, c := range res.Status {
		res.N += c
		if s == 0 || s >= 400 {
			res.Errors += c
		}
	}
	return res
}

// NewClient is a keep-alive client able to hold conns connections per host
// open; it follows no redirect.
func NewClient(conns int, timeout time.Duration) *http.Client {
	tr := &http.Transport{MaxIdleConns: 4096, MaxIdleConnsPerHost: conns, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Do sends req, drains the answer and returns its status (0 on an error).
func Do(c *http.Client, req *http.Request) int {
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Get sends a GET with accept (if not empty) and the headers h.
func Get(c *http.Client, url, accept string, h http.Header) int {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range h {
		req.Header[k] = v
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return Do(c, req)
}
