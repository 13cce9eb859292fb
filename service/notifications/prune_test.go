package notifications_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestPruneJob: the daily prune deletes read notifications older than the
// retention and keeps at most max_per_user per account, the newest; unread
// ones are kept whatever their age, within the cap. The service's clock is
// moved, not waited for; a second run deletes nothing more.
func TestPruneJob(t *testing.T) {
	const day = 24 * time.Hour
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st, servicetest.NotificationLimits(90*day, 3))
		t0 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return t0 }
		actorOf := func(name string) *models.Actor {
			u, err := s.Accounts.SignUp(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Accounts.ActorOf(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		ada, bob := actorOf("ada"), actorOf("bob")
		put := func(who *models.Actor, name string, age time.Duration, read bool) {
			n := &models.Notification{ID: models.NewID(), RecipientID: who.ID, Kind: models.NotifyMention,
				DedupeKey: who.ID + ":" + name, Detail: name, CreatedAt: t0.Add(-age)}
			if read {
				at := n.CreatedAt.Add(time.Hour)
				n.ReadAt = &at
			}
			if ok, err := st.PutNotification(ctx, n); err != nil || !ok {
				t.Fatalf("put %s: %v %v", name, ok, err)
			}
		}
		left := func(who *models.Actor) []string {
			var out []string
			if err := st.DB.Model(&models.Notification{}).Where("recipient_id = ?", who.ID).Order("created_at DESC").
				Pluck("detail", &out).Error; err != nil {
				t.Fatal(err)
			}
			return out
		}
		put(ada, "read, 100 days", 100*day, true)
		put(ada, "read, 10 days", 10*day, true)
		put(ada, "unread, 200 days", 200*day, false)
		for i := 1; i <= 5; i++ { // bob: five unread, one a day: two past the cap
			put(bob, fmt.Sprintf("unread %d", i), time.Duration(6-i)*day, false)
		}

		steps := []struct {
			name     string
			now      time.Time
			ada, bob []string
		}{
			{"at t0", t0, []string{"read, 10 days", "unread, 200 days"}, []string{"unread 5", "unread 4", "unread 3"}},
			{"again: nothing more", t0, []string{"read, 10 days", "unread, 200 days"}, []string{"unread 5", "unread 4", "unread 3"}},
			{"81 days later", t0.Add(81 * day), []string{"unread, 200 days"}, []string{"unread 5", "unread 4", "unread 3"}},
		}
		for _, step := range steps {
			s.Now = func() time.Time { return step.now }
			if err := s.Notifications.RunPruneJob(ctx, service.NotificationsPrune{}); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got := left(ada); !slices.Equal(got, step.ada) {
				t.Fatalf("%s: ada keeps %q, want %q", step.name, got, step.ada)
			}
			if got := left(bob); !slices.Equal(got, step.bob) {
				t.Fatalf("%s: bob keeps %q, want %q", step.name, got, step.bob)
			}
		}
		if n, err := s.Notifications.UnreadCount(ctx, bob); err != nil || n != 3 {
			t.Fatalf("bob's unread count %d (%v), want 3", n, err)
		}
	})
}
