package queue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// blockingPoster refuses inboxes whose path contains /blocked the way the
// federation refuses a blocked domain: a Permanent error, no request.
type blockingPoster struct{ *httpPoster }

func (p blockingPoster) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	if strings.Contains(inbox, "/blocked") {
		return 0, 0, Permanent(errors.New("domain is blocked"))
	}
	return p.httpPoster.Post(ctx, actorID, inbox, body)
}

// One DeliveryBatch per case: the inboxes that fail are split out to jobs of
// their own and only they are retried; the admin list and counts show one row
// per inbox with its own state and attempts.
func TestDeliveryBatchSplitsFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		ctx := context.Background()
		good := startSink(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request, n int) {
			switch {
			case r.URL.Path == "/flaky" && n == 1:
				w.WriteHeader(500)
			case r.URL.Path == "/gone":
				w.WriteHeader(410)
			default:
				w.WriteHeader(202)
			}
		})
		dead := startSink(t, "127.0.0.1:0", nil)
		opts := fastOptions()
		opts.DeadHostFailures, opts.DeadHostFor = 3, time.Hour // /flaky's one 500 leaves its host up
		q := startQueue(t, st, opts, activities{}, blockingPoster{newPoster(nil)})
		// The dead host failed enough already: its deliveries are put off, unsent.
		for range opts.DeadHostFailures {
			rel, err := q.hosts.acquire(ctx, dead.addr, 0)
			if err != nil {
				t.Fatal(err)
			}
			rel(true)
		}
		type want struct {
			state   string
			attempt int
			hits    int
			err     string // in LastError
		}
		url := func(p string) string {
			if d, ok := strings.CutPrefix(p, "dead:"); ok {
				return dead.url(d)
			}
			return good.url(p)
		}
		cases := []struct {
			name  string
			want  map[string]want // by inbox path; "dead:/x" is on the dead host
			count map[string]int64
		}{
			{"one fails once", map[string]want{
				"/ok1": {StateCompleted, 1, 1, ""}, "/ok2": {StateCompleted, 1, 1, ""}, "/flaky": {StateCompleted, 2, 2, "HTTP 500"},
			}, map[string]int64{StateCompleted: 3}},
			{"final failure and blocked domain", map[string]want{
				"/ok1": {StateCompleted, 1, 1, ""}, "/gone": {StateCancelled, 1, 1, "HTTP 410"}, "/blocked": {StateCancelled, 1, 0, "blocked"},
			}, map[string]int64{StateCompleted: 1, StateCancelled: 2}},
			{"dead host", map[string]want{
				"/ok1": {StateCompleted, 1, 1, ""}, "dead:/a": {StateScheduled, 1, 0, "host is down"}, "dead:/b": {StateScheduled, 1, 0, "host is down"},
			}, map[string]int64{StateCompleted: 1, StateScheduled: 2}},
		}
		total := map[string]int64{}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				act := fmt.Sprintf("act-batch-%d", i)
				var inboxes []string
				for p := range tc.want {
					inboxes = append(inboxes, url(p))
				}
				if _, err := q.FanOut(ctx, nil, act, "actor", inboxes); err != nil {
					t.Fatal(err)
				}
				var list []DeliveryInfo
				deadline := time.Now().Add(20 * time.Second)
				for {
					var err error
					list, err = q.Deliveries(ctx, DeliveryFilter{ActivityID: act})
					if err != nil {
						t.Fatal(err)
					}
					got := map[string]int64{}
					for _, d := range list {
						got[d.State]++
					}
					if fmt.Sprint(got) == fmt.Sprint(tc.count) {
						break
					}
					if time.Now().After(deadline) {
						for _, d := range list {
							t.Logf("%+v", d)
						}
						t.Fatalf("states %v, want %v", got, tc.count)
					}
					time.Sleep(20 * time.Millisecond)
				}
				for k, n := range tc.count {
					total[k] += n
				}
				byInbox := map[string]DeliveryInfo{}
				for _, d := range list {
					byInbox[d.Inbox] = d
				}
				body, _ := activities{}.ActivityJSON(ctx, act)
				for p, w := range tc.want {
					d := byInbox[url(p)]
					good.mu.Lock()
					hits := good.hits[url(p)+" "+string(body)]
					good.mu.Unlock()
					if d.State != w.state || d.Attempt != w.attempt || hits != w.hits || !strings.Contains(d.LastError, w.err) {
						t.Errorf("%s: state %s attempt %d hits %d error %q, want %s %d %d %q", p, d.State, d.Attempt, hits, d.LastError, w.state, w.attempt, w.hits, w.err)
					}
				}
			})
		}
		if dead.hits != nil && len(dead.hits) != 0 {
			t.Errorf("dead host got requests: %v", dead.hits)
		}
		byHost, err := q.Deliveries(ctx, DeliveryFilter{Host: dead.addr})
		if err != nil || len(byHost) != 2 {
			t.Errorf("dead host's deliveries: %d %v", len(byHost), err)
		}
		c, err := q.DeliveryCounts(ctx)
		if err != nil || fmt.Sprint(c) != fmt.Sprint(total) {
			t.Errorf("counts %v %v, want %v", c, err, total)
		}
	})
}
