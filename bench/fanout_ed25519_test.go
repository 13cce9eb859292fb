package bench

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// markEd25519 makes every remote actor of the benchmark look like a commonsd
// peer: an Ed25519 Multikey and the FEP-844e capability (AcceptsEd25519).
func markEd25519(b *testing.B, inst *apptest.Instance) {
	b.Helper()
	pub, _, _ := ed25519.GenerateKey(nil)
	err := inst.App.Store.DB.Exec("UPDATE actors SET accepts_ed25519 = ?, ed25519_key_id = uri || '#ed25519-key', ed25519_public_key = ? WHERE domain <> ''",
		true, models.EncodeMultikey(pub)).Error
	if err != nil {
		b.Fatal(err)
	}
}

// rawEd25519Rate is Ed25519 signatures per second on every core for dur.
func rawEd25519Rate(key ed25519.PrivateKey, dur time.Duration) float64 {
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := 0; time.Since(start) < dur; i++ {
				ed25519.Sign(key, fmt.Appendf(nil, "\"@method\": POST\n\"@target-uri\": https://x.example/inbox %d", i))
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// cpuSeconds is the CPU time this process has used (user + system).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkFanOutEd25519: BenchmarkFanOut toward commonsd-like recipients
// (Ed25519 Multikey + FEP-844e): one note to 10 000 followers on 1 000 hosts
// makes 1 000 POSTs, every one signed with RFC 9421 Ed25519. Two numbers:
//
//   - posts/s: the whole path (PostNote → queue → signed POST), as FanOut;
//   - ed-stage/s and ed-per-cpu-s: Federation.Post (choose the signature,
//     sign, POST, read the answer) in a closed loop of 64 goroutines over the
//     same 1 000 inboxes, without the queue; per-cpu-s divides the deliveries
//     by the CPU seconds the sender used (the sinks that answer run in a
//     process of their own, startSinkProcess; their CPU is reported as
//     ed-sink-per-cpu-s). Target
//     ≥ 20 000 per CPU second. rsa-stage/s and rsa-per-cpu-s: the same toward
//     inboxes of no known actor, which get draft-cavage RSA.
//
// Ceiling in the same run: raw Ed25519 signatures/s on all cores.
func BenchmarkFanOutEd25519(b *testing.B) {
	eachDriver(b, func(b *testing.B, driver string) {
		inst, ada := startInstance(b, driver)
		nHosts, perHost := envInt("BENCH_FANOUT_HOSTS", 1000), envInt("BENCH_FANOUT_PER_HOST", 10)
		s := startSinks(b, nHosts, nil)
		addFollowers(b, inst, ada, s.hosts, perHost)
		markEd25519(b, inst)
		key, err := inst.App.Svc.Actors.Ed25519PrivateKey(ada)
		if err != nil {
			b.Fatal(err)
		}
		raw := rawEd25519Rate(key, 2*time.Second)
		ctx := context.Background()

		rounds := envInt("BENCH_FANOUT_ROUNDS", 3)
		var total time.Duration
		var cpu float64
		for r := range rounds {
			s.reset()
			start, cpu0 := time.Now(), cpuSeconds()
			if _, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: fmt.Sprintf("round %d to every follower", r)}); err != nil {
				b.Fatal(err)
			}
			waitFor(b, "1 000 POSTs", 2*time.Minute, func() bool { return s.total.Load() >= int64(nHosts) })
			el := time.Since(start)
			total += el
			cpu += cpuSeconds() - cpu0
			if got := s.ed25519.Load(); got != int64(nHosts) || s.unsigned.Load() != 0 {
				b.Errorf("round %d: %d of %d POSTs signed with Ed25519, %d unsigned (first: %s)", r, got, nHosts, s.unsigned.Load(), s.describeBad())
			}
			b.Logf("%s round %d: %d Ed25519 POSTs in %v = %.0f/s", driver, r, nHosts, el.Round(time.Millisecond), float64(nHosts)/el.Seconds())
		}
		rate := float64(nHosts*rounds) / total.Seconds()
		perCPU := float64(nHosts*rounds) / cpu
		apptest.WaitIdle(b, inst)

		// The delivery stage alone, toward sinks in another process, so that the
		// CPU counted is the sender's (answering costs about as much again: that
		// is the sink process's CPU, reported beside it).
		sp := startSinkProcess(b, nHosts)
		addFollowers(b, inst, ada, sp.hosts, 1)
		markEd25519(b, inst)
		body := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","id":"https://x.example/a/1"}`)
		inboxes := make([]string, len(sp.hosts))
		for i, h := range sp.hosts {
			inboxes[i] = "http://" + h + "/inbox"
		}
		_, _, _ = inst.App.Fed.Post(ctx, ada.ID, inboxes[0], body) // open the keys once
		stage := func(inboxes []string, wantEd bool) (rate, perCPU, sinkPerCPU, p99 float64) {
			sp.reset(b)
			cpu0, sink0 := cpuSeconds(), sp.cpuSeconds(b)
			res := closedLoop(Concurrency, phase(), 0, func(i int) int {
				st, _, err := inst.App.Fed.Post(ctx, ada.ID, inboxes[i%len(inboxes)], body)
				if err != nil {
					return 0
				}
				return st
			})
			cpu, sinkCPU := cpuSeconds()-cpu0, sp.cpuSeconds(b)-sink0
			st := sp.stats(b)
			if ed := st.Ed25519 == st.Total; ed != wantEd || st.Total == 0 || st.Unsigned != 0 || res.Status[202] != res.N {
				b.Errorf("post stage (Ed25519 %v): %d of %d Ed25519, %d unsigned (first: %s), statuses %v", wantEd, st.Ed25519, st.Total, st.Unsigned, st.FirstBad, res.Status)
			}
			return res.Rate(), float64(res.N) / cpu, float64(res.N) / sinkCPU, res.Q(0.99)
		}
		edRate, edCPU, edSinkCPU, edP99 := stage(inboxes, true)
		// The same sinks at inbox URLs no known actor has: signed with RSA.
		rsaInboxes := make([]string, len(inboxes))
		for i, in := range inboxes {
			rsaInboxes[i] = in + "-rsa"
		}
		rsaRate, rsaCPU, _, rsaP99 := stage(rsaInboxes, false)
		b.Logf("%s fan-out %.0f POSTs/s (%.0f per CPU-second, the whole path); post stage Ed25519 %.0f/s (p99 %.1f ms), %.0f per CPU-second of the sender (the sinks' process: %.0f per CPU-second); RSA %.0f/s (p99 %.1f ms), %.0f per CPU-second; raw Ed25519 %.0f signs/s on %d cores",
			driver, rate, perCPU, edRate, edP99, edCPU, edSinkCPU, rsaRate, rsaP99, rsaCPU, raw, runtime.GOMAXPROCS(0))
		report(b, "posts/s", rate, "posts-per-cpu-s", perCPU, "ed-stage/s", edRate, "ed-per-cpu-s", edCPU, "ed-sink-per-cpu-s", edSinkCPU, "rsa-stage/s", rsaRate, "rsa-per-cpu-s", rsaCPU,
			"raw-ed25519-signs/s", raw)
	})
}
