package store_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// Columns with a default of true must still store an explicit false.
func TestCreateKeepsFalseOverTrueDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		act := newActor("pending", "")
		act.Discoverable = false
		u := &models.User{ID: models.NewID(), Username: "pending", Email: "p@example.org", PasswordHash: "x",
			Role: models.RoleMember, Approved: false}
		if err := s.CreateUserWithActor(ctx, u, act); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Approved || got.CreatedAt.IsZero() {
			t.Fatalf("user stored as %+v", got)
		}
		a, err := s.ActorByID(ctx, act.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Discoverable || a.CreatedAt.IsZero() {
			t.Fatalf("actor stored discoverable=%v created=%v", a.Discoverable, a.CreatedAt)
		}
	})
}
