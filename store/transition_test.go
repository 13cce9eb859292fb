package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestTransition: a transition applies only from its allowed states and tells a
// missing row (ErrNotFound) from one in another state (ErrConflict, a 409).
func TestTransition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := newActor("a", "one.example"), newActor("b", "two.example")
		for _, x := range []*models.Actor{a, b} {
			if err := s.CreateActor(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		f := &models.Follow{ID: models.NewID(), URI: a.URI + "/follow", FollowerID: a.ID, TargetID: b.ID, State: models.FollowPending}
		if err := s.CreateFollow(ctx, f); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name      string
			do        func() error
			want      error
			wantState string // "" = the follow is gone
		}{
			{"unknown id", func() error {
				return s.TransitionFollow(ctx, models.NewID(), []string{models.FollowPending}, models.FollowAccepted)
			}, store.ErrNotFound, models.FollowPending},
			{"not from this state", func() error {
				return s.TransitionFollow(ctx, f.ID, []string{models.FollowAccepted}, models.FollowPending)
			}, store.ErrConflict, models.FollowPending},
			{"accept", func() error {
				return s.TransitionFollow(ctx, f.ID, []string{models.FollowPending}, models.FollowAccepted)
			}, nil, models.FollowAccepted},
			{"accept again", func() error {
				return s.TransitionFollow(ctx, f.ID, []string{models.FollowPending}, models.FollowAccepted)
			}, store.ErrConflict, models.FollowAccepted},
			{"refuse a request that is no longer pending", func() error {
				return s.RemoveFollow(ctx, f.ID, []string{models.FollowPending})
			}, store.ErrConflict, models.FollowAccepted},
			{"undo", func() error { return s.RemoveFollow(ctx, f.ID, nil) }, nil, ""},
			{"undo again", func() error { return s.RemoveFollow(ctx, f.ID, nil) }, store.ErrNotFound, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if err := c.do(); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
					t.Fatalf("got %v, want %v", err, c.want)
				}
				got, err := s.FollowByID(ctx, f.ID)
				switch {
				case c.wantState == "" && !errors.Is(err, store.ErrNotFound):
					t.Fatalf("follow still there: %+v", got)
				case c.wantState != "" && (err != nil || got.State != c.wantState):
					t.Fatalf("follow %+v (%v), want state %s", got, err, c.wantState)
				}
			})
		}
		if errs.Status(store.ErrConflict) != 409 || errs.Status(errs.Internal(store.ErrConflict)) != 409 {
			t.Fatal("a lost transition race must surface as 409")
		}
	})
}

// TestFinishActivityRace: two workers finishing the same inbound activity (a
// job run twice) race; exactly one outcome is recorded.
func TestFinishActivityRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := 0; i < 50; i++ {
			row := &models.Activity{ID: models.NewID(), URI: "https://remote.example/activities/" + models.NewID(), Type: "Like",
				ActorURI: "https://remote.example/users/a", Raw: "{}", State: models.ActivityPending, CreatedAt: time.Now().UTC()}
			if err := s.CreateActivity(ctx, row); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			outcomes := []string{models.ActivityProcessed, models.ActivityFailed}
			results := make([]error, 2)
			for j, state := range outcomes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results[j] = s.FinishActivity(ctx, row.ID, state, state)
				}()
			}
			close(start)
			wg.Wait()
			if (results[0] == nil) == (results[1] == nil) {
				t.Fatalf("round %d: want exactly one outcome recorded: %v, %v", i, results[0], results[1])
			}
			winner := outcomes[0]
			if results[0] != nil {
				winner = outcomes[1]
			}
			if lost := errors.Join(results...); !errors.Is(lost, store.ErrConflict) {
				t.Fatalf("round %d: the loser got %v, want ErrConflict", i, lost)
			}
			got, err := s.ActivityByID(ctx, row.ID)
			if err != nil || got.State != winner || got.Error != winner || got.ProcessedAt == nil {
				t.Fatalf("round %d: %+v (%v), want %s", i, got, err, winner)
			}
		}
	})
}
