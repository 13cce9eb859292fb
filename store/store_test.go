package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func newActor(name, domain string) *models.Actor {
	id := models.NewID()
	return &models.Actor{ID: id, Type: models.ActorPerson, Username: name, Domain: domain,
		URI: "https://" + domain + "x.test/actors/" + id}
}

func TestStoreAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
		u := &models.User{ID: models.NewID(), Username: "Alice", Email: "Alice@Example.org", PasswordHash: "x", Role: models.RoleMember}
		if err := s.CreateUserWithActor(ctx, u, newActor("Alice", "")); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			user *models.User
			act  *models.Actor
			want error
		}{
			{"same handle other case", &models.User{ID: models.NewID(), Username: "alice", Email: "b@example.org", PasswordHash: "x"}, newActor("ALICE", ""), store.ErrExists},
			{"same email", &models.User{ID: models.NewID(), Username: "bob", Email: "alice@example.org", PasswordHash: "x"}, newActor("bob", ""), store.ErrExists},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := s.CreateUserWithActor(ctx, c.user, c.act)
				if !errors.Is(err, c.want) {
					t.Fatalf("got %v, want %v", err, c.want)
				}
				// The transaction must leave no half-created actor behind.
				if _, err := s.ActorByID(ctx, c.act.ID); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("actor left behind: %v", err)
				}
			})
		}
		// A remote actor with the same username is a different handle.
		if err := s.CreateActor(ctx, newActor("alice", "remote.test")); err != nil {
			t.Fatalf("remote same name: %v", err)
		}
		got, err := s.UserByUsername(ctx, "ALICE")
		if err != nil || got.ID != u.ID || got.Email != "alice@example.org" {
			t.Fatalf("lookup: %+v %v", got, err)
		}
		if _, err := s.UserByID(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("want not found, got %v", err)
		}
		// Invites are consumed atomically and only while valid.
		now := time.Now()
		inv := &models.Invite{Code: "abc", CreatedByID: u.ID, MaxUses: 1}
		if err := s.CreateInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		if err := s.UseInvite(ctx, "abc", now); err != nil {
			t.Fatal(err)
		}
		if err := s.UseInvite(ctx, "abc", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("used-up invite accepted: %v", err)
		}
		// Settings upsert.
		for _, v := range []string{"open", "closed"} {
			if err := s.PutSetting(ctx, "registration_mode", v); err != nil {
				t.Fatal(err)
			}
		}
		if v, err := s.Setting(ctx, "registration_mode"); err != nil || v != "closed" {
			t.Fatalf("setting: %q %v", v, err)
		}
	})
}
