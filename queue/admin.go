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

// Deliveries lists deliveries, newest job first: one row per Delivery job, and
// one per inbox of a DeliveryBatch job (with the batch's job id and state),
// leaving out the inboxes a completed batch split out to jobs of their own
// (those are listed as such). Limit bounds the rows.
func (q *Queue) Deliveries(ctx context.Context, f DeliveryFilter) ([]DeliveryInfo, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	p := river.NewJobListParams().Kinds(KindDelivery, KindDeliveryBatch).First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
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
		inBatch := "EXISTS (SELECT 1 FROM json_each(args, '$.hosts') WHERE value = @batch_host)"
		if q.st.Driver == "postgres" {
			inBatch = "EXISTS (SELECT 1 FROM jsonb_array_elements_text(args->'hosts') h WHERE h = @batch_host)"
		}
		p = p.Where("(kind = '"+KindDelivery+"' AND "+jsonField("host")+" = @host) OR (kind = '"+KindDeliveryBatch+"' AND "+inBatch+")",
			river.NamedArgs{"host": f.Host, "batch_host": f.Host})
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
		info := DeliveryInfo{
			JobID: j.ID, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
			CreatedAt: j.CreatedAt, AttemptedAt: j.AttemptedAt, FinalizedAt: j.FinalizedAt,
		}
		if n := len(j.Errors); n > 0 {
			info.LastError = j.Errors[n-1].Error
		}
		if j.FinalizedAt == nil {
			at := j.ScheduledAt
			info.NextAttempt = &at
		}
		if j.Kind == KindDeliveryBatch {
			var b DeliveryBatch
			_ = json.Unmarshal(j.EncodedArgs, &b)
			var o batchOutput
			if j.State == rivertype.JobStateCompleted {
				_ = json.Unmarshal(j.Output(), &o)
			}
			split := make(map[int]bool, len(o.Split))
			for _, i := range o.Split {
				split[i] = true
			}
			for i, in := range b.Inboxes {
				if split[i] || i >= len(b.Hosts) || (f.Host != "" && b.Hosts[i] != f.Host) {
					continue
				}
				row := info
				row.ActivityID, row.ActorID, row.Inbox, row.Host = b.ActivityID, b.ActorID, in, b.Hosts[i]
				out = append(out, row)
			}
			continue
		}
		var d Delivery
		_ = json.Unmarshal(j.EncodedArgs, &d)
		info.ActivityID, info.ActorID, info.Inbox, info.Host = d.ActivityID, d.ActorID, d.Inbox, d.Host
		// A delivery split out of a batch: its attempts there count.
		info.Attempt += d.Prior
		info.MaxAttempts += d.Prior
		if info.LastError == "" {
			info.LastError = d.PriorError
		}
		out = append(out, info)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// DeliveryCounts counts deliveries by state (states without any are absent):
// Delivery jobs, plus each DeliveryBatch job's inboxes less those a completed
// batch split out to jobs of their own.
func (q *Queue) DeliveryCounts(ctx context.Context) (map[string]int64, error) {
	out, err := q.Counts(ctx, KindDelivery)
	if err != nil {
		return nil, err
	}
	n := "json_array_length(args, '$.inboxes') - coalesce(json_array_length(metadata, '$.output.split'), 0)"
	if q.st.Driver == "postgres" {
		n = "jsonb_array_length(args->'inboxes') - coalesce(jsonb_array_length(metadata->'output'->'split'), 0)"
	}
	var rows []struct {
		State string
		N     int64
	}
	err = q.st.DB.WithContext(ctx).Table("river_job").Select("state, sum("+n+") as n").
		Where("kind = ?", KindDeliveryBatch).Group("state").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("queue: count deliveries: %w", err)
	}
	for _, r := range rows {
		if r.N > 0 {
			out[r.State] += r.N
		}
	}
	return out, nil
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
