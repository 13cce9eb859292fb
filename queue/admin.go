package queue

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/commonsd/commonsd/service"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Job states as River names them.
const (
	StatePending   = string(rivertype.JobStatePending)
	StateScheduled = string(rivertype.JobStateScheduled)
	StateAvailable = string(rivertype.JobStateAvailable)
	StateRunning   = string(rivertype.JobStateRunning)
	StateRetryable = string(rivertype.JobStateRetryable)
	StateCompleted = string(rivertype.JobStateCompleted)
	StateCancelled = string(rivertype.JobStateCancelled)
	StateDiscarded = string(rivertype.JobStateDiscarded)
)

// DeliveryFilter and DeliveryInfo are the service's: the queue implements the
// service's DeliveryLog port.
type (
	DeliveryFilter = service.DeliveryFilter
	DeliveryInfo   = service.DeliveryInfo
)

var _ service.DeliveryLog = (*Queue)(nil)

// Deliveries lists delivery jobs, newest first.
func (q *Queue) Deliveries(ctx context.Context, f DeliveryFilter) ([]DeliveryInfo, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	p := river.NewJobListParams().Kinds(KindDelivery).First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if f.State != "" {
		p = p.States(rivertype.JobState(f.State))
	}
	jsonField := func(k string) string {
		if q.st.Driver == "postgres" {
			return "args->>'" + k + "'"
		}
		return "json_extract(args, '$." + k + "')"
	}
	if f.Host != "" {
		p = p.Where(jsonField("host")+" = @host", river.NamedArgs{"host": f.Host})
	}
	if f.ActivityID != "" {
		p = p.Where(jsonField("activity_id")+" = @activity", river.NamedArgs{"activity": f.ActivityID})
	}
	res, err := q.ins.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("queue: list deliveries: %w", err)
	}
	out := make([]DeliveryInfo, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		var d Delivery
		_ = json.Unmarshal(j.EncodedArgs, &d)
		info := DeliveryInfo{
			JobID: j.ID, ActivityID: d.ActivityID, ActorID: d.ActorID, Inbox: d.Inbox, Host: d.Host,
			State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
			CreatedAt: j.CreatedAt, AttemptedAt: j.AttemptedAt, FinalizedAt: j.FinalizedAt,
		}
		if n := len(j.Errors); n > 0 {
			info.LastError = j.Errors[n-1].Error
		}
		if j.FinalizedAt == nil {
			at := j.ScheduledAt
			info.NextAttempt = &at
		}
		out = append(out, info)
	}
	return out, nil
}

// DeliveryCounts counts delivery jobs by state (states without jobs are absent).
func (q *Queue) DeliveryCounts(ctx context.Context) (map[string]int64, error) {
	return q.Counts(ctx, KindDelivery)
}

// Counts counts jobs of kind (every kind if empty) by state.
func (q *Queue) Counts(ctx context.Context, kind string) (map[string]int64, error) {
	var rows []struct {
		State string
		N     int64
	}
	db := q.st.DB.WithContext(ctx).Table("river_job").Select("state, count(*) as n").Group("state")
	if kind != "" {
		db = db.Where("kind = ?", kind)
	}
	if err := db.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("queue: count jobs: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}
