package service_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store/storetest"
)

type noteJob struct{}

func (noteJob) Kind() string { return "test_note" }

// Without a queue (CLI tools), jobs are refused, never silently dropped.
func TestJobsUnwired(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := servicetest.New(t, st)
	ctx := context.Background()
	if err := s.Jobs.Enqueue(ctx, st, noteJob{}); servicetest.Status(err) != http.StatusServiceUnavailable {
		t.Errorf("Enqueue without a queue: %v", err)
	}
	if err := s.Jobs.ScheduleAt(ctx, st, noteJob{}, time.Now()); servicetest.Status(err) != http.StatusServiceUnavailable {
		t.Errorf("ScheduleAt without a queue: %v", err)
	}
}
