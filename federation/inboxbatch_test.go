package federation

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// batchRequest is one inbox request as the batcher sees it: its row (by URI)
// and, when cancel is set, a context cancelled once the row is handed over.
type batchRequest struct {
	uri    string
	cancel bool
}

// batchOutcome is what one request was answered.
type batchOutcome struct {
	duplicate bool
	err       error
}

// The group commit on both databases: requests that announced their rows
// share one transaction and one processing job; a failed batch answers every
// request of it with the error and stores nothing; a request cancelled before
// its batch began is left out of it. The linger is an hour, so a batch that
// did not wait for every announced row, or waited for a withdrawn one, shows
// as a wrong batch or a hang, never as a timing.
func TestInboxBatcher(t *testing.T) {
	errBroken := errors.New("disk on fire")
	cases := []struct {
		name      string
		stored    []string // URIs stored before the batch
		requests  []batchRequest
		withdrawn int   // announcements withdrawn (requests refused by their checks)
		failWith  error // the batch's write fails after writing its rows
		// want
		batches    []int // rows per write, in order
		outcomes   []batchOutcome
		storedURIs []string // activities stored afterwards
		jobs       [][]int  // activities per processing job: indexes into requests
	}{
		{
			name:       "concurrent accepts land in one transaction and one job",
			requests:   []batchRequest{{uri: "a"}, {uri: "b"}, {uri: "c"}, {uri: "d"}, {uri: "e"}},
			batches:    []int{5},
			outcomes:   []batchOutcome{{}, {}, {}, {}, {}},
			storedURIs: []string{"a", "b", "c", "d", "e"},
			jobs:       [][]int{{0, 1, 2, 3, 4}},
		},
		{
			name:       "a refused request does not hold the batch",
			requests:   []batchRequest{{uri: "a"}, {uri: "b"}},
			withdrawn:  1,
			batches:    []int{2},
			outcomes:   []batchOutcome{{}, {}},
			storedURIs: []string{"a", "b"},
			jobs:       [][]int{{0, 1}},
		},
		{
			name:       "known and repeated ids are answered as duplicates and get no job",
			stored:     []string{"old"},
			requests:   []batchRequest{{uri: "old"}, {uri: "new"}, {uri: "new"}},
			batches:    []int{3},
			outcomes:   []batchOutcome{{duplicate: true}, {}, {duplicate: true}},
			storedURIs: []string{"new", "old"},
			jobs:       [][]int{{1}},
		},
		{
			name:       "a failed batch fails every request and stores nothing",
			requests:   []batchRequest{{uri: "a"}, {uri: "b"}, {uri: "c"}},
			failWith:   errBroken,
			batches:    []int{3},
			outcomes:   []batchOutcome{{err: errBroken}, {err: errBroken}, {err: errBroken}},
			storedURIs: nil,
		},
		{
			name:       "a request cancelled before its batch began is left out",
			requests:   []batchRequest{{uri: "a"}, {uri: "gone", cancel: true}, {uri: "c"}},
			batches:    []int{2},
			outcomes:   []batchOutcome{{}, {err: context.Canceled}, {}},
			storedURIs: []string{"a", "c"},
			jobs:       [][]int{{0, 2}},
		},
	}
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					ctx := context.Background()
					st := storetest.Open(t, driver)
					if err := queue.Migrate(ctx, st); err != nil {
						t.Fatal(err)
					}
					q, err := queue.New(st, queue.Options{}, nil)
					if err != nil {
						t.Fatal(err)
					}
					b := &inboxBatcher{st: st, q: q, ch: make(chan *inboxItem, 16), linger: time.Hour}
					var mu sync.Mutex
					var batches []int
					b.write = func(ctx context.Context, tx *store.Store, rows []models.Activity) (map[string]bool, error) {
						mu.Lock()
						batches = append(batches, len(rows))
						mu.Unlock()
						inserted, err := b.writeRows(ctx, tx, rows)
						if err == nil && c.failWith != nil {
							return nil, c.failWith // after the rows and jobs were written
						}
						return inserted, err
					}
					go b.run()
					t.Cleanup(func() { close(b.ch) })

					rowOf := func(uri string) models.Activity {
						return models.Activity{ID: models.NewID(), URI: "https://remote.example/activities/" + uri, Type: "Create",
							ActorURI: "https://remote.example/users/x", Raw: `{}`, State: models.ActivityPending, CreatedAt: time.Now().UTC()}
					}
					if len(c.stored) > 0 {
						var rows []models.Activity
						for _, u := range c.stored {
							rows = append(rows, rowOf(u))
						}
						if _, err := st.InsertActivities(ctx, rows); err != nil {
							t.Fatal(err)
						}
					}

					// Every request announces its row first (it holds a slot
					// and is being checked), then hands it over.
					ann := make([]*announcement, len(c.requests)+c.withdrawn)
					for i := range ann {
						ann[i] = b.announce()
					}
					for _, a := range ann[len(c.requests):] {
						a.withdraw()
					}
					rows := make([]models.Activity, len(c.requests))
					got := make([]batchOutcome, len(c.requests))
					var wg sync.WaitGroup
					// Requests hand over in order, each once the previous
					// one is in the channel, so the batch's order is known;
					// a cancelled one is cancelled once it is handed over.
					for i, r := range c.requests {
						rows[i] = rowOf(r.uri)
						rctx, cancel := context.WithCancel(ctx)
						before := b.coming.Load()
						wg.Go(func() {
							defer cancel()
							dup, err := b.store(rctx, rows[i], ann[i])
							got[i] = batchOutcome{dup, err}
						})
						for b.coming.Load() == before {
							time.Sleep(time.Millisecond)
						}
						if r.cancel {
							cancel()
						}
					}
					wg.Wait()

					if !slices.Equal(batches, c.batches) {
						t.Errorf("rows per batch: %v, want %v", batches, c.batches)
					}
					for i, o := range got {
						w := c.outcomes[i]
						if o.duplicate != w.duplicate || !errors.Is(o.err, w.err) || (w.err == nil) != (o.err == nil) {
							t.Errorf("request %d (%s): duplicate=%v err=%v, want duplicate=%v err=%v",
								i, c.requests[i].uri, o.duplicate, o.err, w.duplicate, w.err)
						}
					}
					var uris []string
					if err := st.DB.Model(&models.Activity{}).Order("uri").Pluck("uri", &uris).Error; err != nil {
						t.Fatal(err)
					}
					var want []string
					for _, u := range c.storedURIs {
						want = append(want, "https://remote.example/activities/"+u)
					}
					slices.Sort(want)
					if !slices.Equal(uris, want) {
						t.Errorf("stored %v, want %v", uris, want)
					}
					var wantJobs [][]string
					for _, j := range c.jobs {
						var ids []string
						for _, i := range j {
							ids = append(ids, rows[i].ID)
						}
						wantJobs = append(wantJobs, ids)
					}
					if jobs := processJobs(t, st); !slices.EqualFunc(jobs, wantJobs, slices.Equal) {
						t.Errorf("processing jobs %v, want %v", jobs, wantJobs)
					}
				})
			}
		})
	}
}

// processJobs lists the activity ids of each inbox.process job, in insert order.
func processJobs(t *testing.T, st *store.Store) [][]string {
	t.Helper()
	q := "SELECT json(args) FROM river_job WHERE kind = ? ORDER BY id"
	if st.Driver == "postgres" {
		q = "SELECT args::text FROM river_job WHERE kind = ? ORDER BY id"
	}
	var args []string
	if err := st.DB.Raw(q, ProcessInbox{}.Kind()).Scan(&args).Error; err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, a := range args {
		var j ProcessInbox
		if err := json.Unmarshal([]byte(a), &j); err != nil {
			t.Fatal(err)
		}
		out = append(out, j.ids())
	}
	return out
}
