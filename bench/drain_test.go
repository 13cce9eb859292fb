package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/models"
)

// BenchmarkDrain measures what processing one inbound Create(Note) costs: an
// instance in role web accepts BENCH_DRAIN_N signed activities (stored, not
// processed), then a worker of the same instance starts in this process and
// the benchmark waits until every activity has left the pending state. The
// process's CPU time (user + system, getrusage) over the drain divided by the
// number of activities is the CPU per activity; the load generator is idle
// meanwhile. BENCH_DRAIN_CPUPROFILE=file writes a CPU profile of the drain
// alone (the profile the note about the 12 ms refers to).
//
// mention: each note mentions the local user (stored, in her timeline);
// followed: the local user follows the sender, the notes carry no mention.
func BenchmarkDrain(b *testing.B) {
	for _, kind := range []string{"mention", "followed"} {
		b.Run(kind, func(b *testing.B) {
			eachDriver(b, func(b *testing.B, driver string) { benchDrain(b, driver, kind) })
		})
	}
}

func benchDrain(b *testing.B, driver, kind string) {
	inst, ada := startInstanceRole(b, driver, app.RoleWeb)
	ctx := context.Background()
	ra := newRemoteActor(b)
	n := envInt("BENCH_DRAIN_N", 2000)
	mention := ""
	if kind == "mention" {
		mention = ada.URI
	}
	inbox := inst.URL + "/users/ada/inbox"
	acts := ra.presignWith(b, inbox, n, &mention)
	c := newClient(10 * time.Second)
	if s, _ := post(c, inbox, acts[0]); s != http.StatusAccepted {
		b.Fatalf("first POST: %d", s)
	}
	if kind == "followed" {
		remote, err := inst.App.Store.ActorByURI(ctx, ra.uri)
		if err != nil {
			b.Fatalf("the first POST did not store the sender: %v", err)
		}
		f := &models.Follow{ID: models.NewID(), URI: inst.URL + "/follows/" + models.NewID(), FollowerID: ada.ID,
			TargetID: remote.ID, State: models.FollowAccepted}
		if err := inst.App.Store.CreateFollow(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	r := closedLoop(Concurrency, time.Hour, n-1, func(i int) int { s, _ := post(c, inbox, acts[i+1]); return s })
	if r.Status[http.StatusAccepted] != n-1 {
		b.Fatalf("statuses: %v", r.Status)
	}
	b.Logf("%s %s: accepted %d in %v (%.0f/s, role web)", driver, kind, n, r.Elapsed.Round(time.Millisecond), r.Rate())

	if path := os.Getenv("BENCH_DRAIN_CPUPROFILE"); path != "" {
		fh, err := os.Create(fmt.Sprintf("%s.%s.%s", path, kind, driver))
		if err != nil {
			b.Fatal(err)
		}
		defer fh.Close()
		if err := pprof.StartCPUProfile(fh); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	cpu0, t0 := cpuTime(), time.Now()
	inst.StartWorker(b)
	for {
		var pending int64
		if err := inst.App.Store.DB.Model(&models.Activity{}).Where("state = ?", models.ActivityPending).Count(&pending).Error; err != nil {
			b.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Since(t0) > 10*time.Minute {
			b.Fatalf("%d activities still pending after 10 minutes", pending)
		}
		time.Sleep(200 * time.Millisecond)
	}
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	pprof.StopCPUProfile()
	var processed, inTimeline int64
	inst.App.Store.DB.Model(&models.Activity{}).Where("state = ?", models.ActivityProcessed).Count(&processed)
	inst.App.Store.DB.Table("timeline_entries").Where("owner_id = ?", ada.ID).Count(&inTimeline)
	if processed != int64(n) || inTimeline != int64(n) {
		b.Errorf("processed %d, in ada's timeline %d, of %d", processed, inTimeline, n)
	}
	perAct := float64(cpu) / float64(time.Millisecond) / float64(n)
	b.Logf("%s %s: drained %d in %v (%.0f/s), %.2f ms CPU per activity", driver, kind, n, wall.Round(time.Millisecond),
		float64(n)/wall.Seconds(), perAct)
	report(b, "stored/s", float64(n)/wall.Seconds(), "cpu-ms/activity", perAct, "accepted/s", r.Rate())
}

// cpuTime is the user + system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
