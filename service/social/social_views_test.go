package social_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func TestReportsAndFollowViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		signUp := func(name string) (*models.User, *models.Actor) {
			u, err := s.Accounts.SignUp(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Accounts.ActorOf(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return u, a
		}
		admin, ada := signUp("ada")
		member, mia := signUp("mia")

		if err := s.Social.ReceiveFlag(ctx, mia, "https://remote.example/flags/1", []string{ada.URI}, "<b>spam</b>"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Social.Reports(ctx, member, 10, 0); servicetest.Status(err) != http.StatusForbidden {
			t.Fatalf("member reads reports: %v", err)
		}
		if _, err := s.Social.Reports(ctx, nil, 10, 0); servicetest.Status(err) != http.StatusForbidden {
			t.Fatalf("anonymous reads reports: %v", err)
		}
		rs, err := s.Social.Reports(ctx, admin, 10, 0)
		if err != nil || len(rs) != 1 || rs[0].Reporter.ID != mia.ID || rs[0].Target.ID != ada.ID ||
			rs[0].Report.Content != "spam" || len(rs[0].Objects) != 1 {
			t.Fatalf("reports: %+v %v", rs, err)
		}

		yes := true
		if err := s.Actors.UpdateProfile(ctx, ada, service.Profile{DisplayName: "Ada", ManuallyApprovesFollowers: &yes}); err != nil {
			t.Fatal(err)
		}
		f, err := s.Social.Follow(ctx, mia, ada, "")
		if err != nil || f.State != models.FollowPending {
			t.Fatalf("follow: %+v %v", f, err)
		}
		following, err := s.Social.Following(ctx, mia, 10, 0)
		if err != nil || len(following) != 1 || following[0].Actor.ID != ada.ID || following[0].Follow.State != models.FollowPending {
			t.Fatalf("following: %+v %v", following, err)
		}
		reqs, err := s.Social.FollowRequests(ctx, ada, 10, 0)
		if err != nil || len(reqs) != 1 || reqs[0].Actor.ID != mia.ID {
			t.Fatalf("requests: %+v %v", reqs, err)
		}
		if got, err := s.Social.FollowOf(ctx, ada, mia); err != nil || got != nil {
			t.Fatalf("FollowOf without follow: %+v %v", got, err)
		}
		if err := s.Social.Decide(ctx, ada, f.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Social.FollowOf(ctx, mia, ada); err != nil || got.State != models.FollowAccepted {
			t.Fatalf("FollowOf: %+v %v", got, err)
		}
		if reqs, _ := s.Social.FollowRequests(ctx, ada, 10, 0); len(reqs) != 0 {
			t.Fatalf("answered request still listed: %+v", reqs)
		}
	})
}
