package bench

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crypto/rsa"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// sinks are remote "hosts": one HTTP server on many 127.0.0.1 ports, each port a
// host[:port] of its own for the queue's per-host limits. They count signed POSTs.
type sinks struct {
	hosts    []string // 127.0.0.1:port
	mu       sync.Mutex
	count    map[string]int
	arrived  []time.Time // arrival of each POST, in order
	total    atomic.Int64
	unsigned atomic.Int64
	firstBad atomic.Pointer[string] // the first unsigned request: method, URL, User-Agent
	ed25519  atomic.Int64           // of total, RFC 9421 Ed25519-signed
	delay    map[string]time.Duration
}

func startSinks(b *testing.B, n int, delay map[int]time.Duration) *sinks {
	b.Helper()
	s, stop, err := newSinks(n, delay)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return s
}

// newSinks listens on n ports of 127.0.0.1 and serves them until stop.
func newSinks(n int, delay map[int]time.Duration) (s *sinks, stop func(), err error) {
	s = &sinks{count: map[string]int{}, delay: map[string]time.Duration{}}
	srv := &http.Server{Handler: s, IdleTimeout: time.Minute}
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			srv.Close()
			return nil, nil, err
		}
		h := ln.Addr().String()
		s.hosts = append(s.hosts, h)
		if d, ok := delay[i]; ok {
			s.delay[h] = d
		}
		go srv.Serve(ln)
	}
	return s, func() { srv.Close() }, nil
}

func (s *sinks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	if d := s.delay[r.Host]; d > 0 {
		time.Sleep(d)
	}
	if r.Method != http.MethodPost {
		// Not ours: on the shared machine other engineers' harnesses poll
		// ports that were theirs a moment ago (GET /readyz was seen here).
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if !strings.Contains(r.Header.Get("Signature"), "signature=") &&
		!strings.Contains(r.Header.Get("Signature-Input"), `alg="ed25519"`) {
		s.unsigned.Add(1)
		bad := r.Method + " " + r.Host + r.URL.String() + " User-Agent: " + r.UserAgent()
		s.firstBad.CompareAndSwap(nil, &bad)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	s.count[r.Host]++
	s.arrived = append(s.arrived, time.Now())
	s.mu.Unlock()
	s.total.Add(1)
	if r.Header.Get("Signature-Input") != "" {
		s.ed25519.Add(1)
	}
	w.WriteHeader(http.StatusAccepted)
}

// describeBad is the first unsigned request, if any.
func (s *sinks) describeBad() string {
	if p := s.firstBad.Load(); p != nil {
		return *p
	}
	return "none"
}

func (s *sinks) reset() {
	s.mu.Lock()
	s.count = map[string]int{}
	s.arrived = nil
	s.mu.Unlock()
	s.total.Store(0)
	s.ed25519.Store(0)
}

// addFollowers inserts perHost remote actors on each host, all sharing the host's
// /inbox, each following target (accepted), directly through the store.
func addFollowers(b *testing.B, inst *apptest.Instance, target *models.Actor, hosts []string, perHost int) {
	b.Helper()
	var actors []models.Actor
	var follows []models.Follow
	for _, h := range hosts {
		for j := range perHost {
			uri := fmt.Sprintf("http://%s/users/u%d", h, j)
			a := models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: fmt.Sprintf("u%d", j),
				UsernameLower: fmt.Sprintf("u%d", j), Domain: h, URI: uri, InboxURI: uri + "/inbox",
				SharedInbox: "http://" + h + "/inbox", PublicKeyID: uri + "#main-key"}
			actors = append(actors, a)
			follows = append(follows, models.Follow{ID: models.NewID(), URI: uri + "/follows/1", FollowerID: a.ID,
				TargetID: target.ID, State: models.FollowAccepted})
		}
	}
	db := inst.App.Store.DB
	if err := db.CreateInBatches(actors, 200).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.CreateInBatches(follows, 500).Error; err != nil {
		b.Fatal(err)
	}
}

// rawSignRate is RSA-2048 PKCS#1 v1.5 signatures per second on every core for dur.
func rawSignRate(key *rsa.PrivateKey, dur time.Duration) float64 {
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := 0; time.Since(start) < dur; i++ {
				h := sha256.Sum256(fmt.Appendf(nil, "activity %d", i))
				if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:]); err != nil {
					panic(err)
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

func waitFor(b *testing.B, what string, d time.Duration, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// BenchmarkFanOut: one note of an actor with 10 000 followers on 1 000 hosts (a
// shared inbox each) makes exactly 1 000 signed POSTs. The POST rate is compared
// with the raw RSA-2048 signing rate on all cores measured in the same run.
// Target: ≥ 70 % of the raw rate. On a shared machine the rates mean little:
// posts-per-cpu-s (POSTs per CPU-second of this process, the sinks included)
// against raw signatures per CPU-second (%raw-cpu) does not depend on how much
// of the machine the run got.
func BenchmarkFanOut(b *testing.B) {
	eachDriver(b, func(b *testing.B, driver string) {
		inst, ada := startInstance(b, driver)
		nHosts, perHost := envInt("BENCH_FANOUT_HOSTS", 1000), envInt("BENCH_FANOUT_PER_HOST", 10)
		s := startSinks(b, nHosts, nil)
		t0 := time.Now()
		addFollowers(b, inst, ada, s.hosts, perHost)
		b.Logf("inserted %d followers in %v", nHosts*perHost, time.Since(t0).Round(time.Millisecond))
		key, err := inst.App.Svc.Actors.PrivateKey(ada)
		if err != nil {
			b.Fatal(err)
		}
		rawCPU0 := cpuSeconds()
		raw := rawSignRate(key, 2*time.Second)
		rawPerCPU := raw * 2 / (cpuSeconds() - rawCPU0) // signatures per CPU-second (2 s of signing)
		ctx := context.Background()
		rounds := envInt("BENCH_FANOUT_ROUNDS", 3)
		var total time.Duration
		var cpu float64
		for r := range rounds {
			cpu0 := cpuSeconds()
			s.reset()
			start := time.Now()
			if _, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: fmt.Sprintf("round %d to every follower #commons", r)}); err != nil {
				b.Fatal(err)
			}
			enqueued := time.Since(start)
			waitFor(b, "1 000 POSTs", 2*time.Minute, func() bool { return s.total.Load() >= int64(nHosts) })
			el := time.Since(start)
			total += el
			cpu += cpuSeconds() - cpu0
			time.Sleep(500 * time.Millisecond) // nothing more may arrive
			s.mu.Lock()
			dup := 0
			for _, c := range s.count {
				if c != 1 {
					dup++
				}
			}
			got := len(s.count)
			s.mu.Unlock()
			if s.total.Load() != int64(nHosts) || got != nHosts || dup != 0 || s.unsigned.Load() != 0 {
				b.Errorf("round %d: %d POSTs to %d hosts (%d hosts not exactly once, %d unsigned, first: %s), want %d", r, s.total.Load(), got, dup, s.unsigned.Load(), s.describeBad(), nHosts)
			}
			b.Logf("%s round %d: PostNote %v, %d POSTs in %v = %.0f/s", driver, r, enqueued.Round(time.Millisecond), nHosts, el.Round(time.Millisecond), float64(nHosts)/el.Seconds())
		}
		rate := float64(nHosts*rounds) / total.Seconds()
		perCPU := float64(nHosts*rounds) / cpu
		b.Logf("%s fan-out %.0f POSTs/s, raw signing %.0f/s on %d cores: %.0f %%; per CPU-second %.0f POSTs, %.0f raw signs: %.0f %%",
			driver, rate, raw, runtime.GOMAXPROCS(0), 100*rate/raw, perCPU, rawPerCPU, 100*perCPU/rawPerCPU)
		report(b, "posts/s", rate, "raw-signs/s", raw, "%raw", 100*rate/raw, "posts-per-cpu-s", perCPU, "%raw-cpu", 100*perCPU/rawPerCPU)
	})
}

// BenchmarkSlowHost: 200 notes to 1 follower on each of 5 hosts, one of which
// answers after 200 ms. The slow host must still take ≥ 40 activities/s, and the
// other hosts must not wait for it (their p99 delivery latency is reported).
func BenchmarkSlowHost(b *testing.B) {
	eachDriver(b, func(b *testing.B, driver string) {
		inst, ada := startInstance(b, driver)
		s := startSinks(b, envInt("BENCH_SLOW_HOSTS", 5), map[int]time.Duration{0: 200 * time.Millisecond})
		slow := s.hosts[0]
		addFollowers(b, inst, ada, s.hosts, 1)
		n := envInt("BENCH_SLOW_NOTES", 200)
		ctx := context.Background()
		// Enqueue every delivery first, workers stopped, so that the posting rate does
		// not cap the delivery rate; then start the workers and time the deliveries.
		_ = inst.App.Queue.Stop(ctx)
		t0 := time.Now()
		for i := range n {
			if _, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: fmt.Sprintf("note %d", i)}); err != nil {
				b.Fatal(err)
			}
		}
		postedIn := time.Since(t0)
		start := time.Now()
		if err := inst.App.Queue.Start(ctx); err != nil {
			b.Fatal(err)
		}
		fastDone := time.Duration(0)
		waitFor(b, "fast hosts", 2*time.Minute, func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			for _, h := range s.hosts[1:] {
				if s.count[h] < n {
					return false
				}
			}
			fastDone = time.Since(start)
			return true
		})
		waitFor(b, "slow host", 5*time.Minute, func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.count[slow] >= n
		})
		slowDone := time.Since(start)
		slowRate := float64(n) / slowDone.Seconds()
		b.Logf("%s: %d notes posted in %v; other hosts had all at %v; slow host all at %v = %.1f activities/s",
			driver, n, postedIn.Round(time.Millisecond), fastDone.Round(time.Millisecond), slowDone.Round(time.Millisecond), slowRate)
		report(b, "slow-acts/s", slowRate, "fast-done-s", fastDone.Seconds(), "slow-done-s", slowDone.Seconds(), "post-s", postedIn.Seconds())
	})
}
