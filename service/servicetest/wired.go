package servicetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Jobs stands in for the job queue (core.Jobs) and keeps what was scheduled,
// with the time each job was scheduled at (zero for Enqueue).
type Jobs struct {
	mu        sync.Mutex
	Scheduled []core.Job
	At        []time.Time
}

// Enqueue records job to run now.
func (j *Jobs) Enqueue(ctx context.Context, tx *store.Store, job core.Job) error {
	return j.ScheduleAt(ctx, tx, job, time.Time{})
}

// ScheduleAt records job to run at at.
func (j *Jobs) ScheduleAt(_ context.Context, _ *store.Store, job core.Job, at time.Time) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Scheduled = append(j.Scheduled, job)
	j.At = append(j.At, at)
	return nil
}

// Count is how many jobs of kind were scheduled.
func (j *Jobs) Count(kind string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, x := range j.Scheduled {
		if x.Kind() == kind {
			n++
		}
	}
	return n
}

// Wired is New for the domain tests that drive time and watch the ports (the
// economy and governance tests built it the same way, line for line): the
// service's clock reads *now, which the test moves; published activities go
// to the returned Recorder and jobs to the returned Jobs.
func Wired(t testing.TB, st *store.Store, now *time.Time) (*service.Service, *Recorder, *Jobs) {
	t.Helper()
	s := New(t, st)
	s.Now = func() time.Time { return *now }
	pub, jobs := &Recorder{}, &Jobs{}
	s.SetPorts(pub, nil, nil)
	s.SetQueue(jobs, nil)
	return s, pub, jobs
}
