package moderation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func TestReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		rec := &servicetest.Recorder{}
		s.SetPorts(rec, nil, nil)
		mk := func(name, role string) (*models.User, *models.Actor) {
			u, err := s.Accounts.Create(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery", Role: role})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := s.Accounts.ActorOf(ctx, u)
			return u, a
		}
		admin, _ := mk("boss", models.RoleAdmin)
		mod, _ := mk("mod", models.RoleModerator)
		ada, adaA := mk("ada", models.RoleMember)
		_, bobA := mk("bob", models.RoleMember)
		spam, err := s.Social.PostNote(ctx, bobA, service.NoteInput{Content: "buy my stuff", Visibility: models.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		secret, _ := s.Social.PostNote(ctx, bobA, service.NoteInput{Content: "only followers", Visibility: models.VisibilityFollowers})
		mine, _ := s.Social.PostNote(ctx, adaA, service.NoteInput{Content: "mine", Visibility: models.VisibilityPublic})
		zed := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "zed", Domain: "bad.example",
			URI: "https://bad.example/users/zed", InboxURI: "https://bad.example/users/zed/inbox"}
		st.CreateActor(ctx, zed)

		files := []struct {
			name   string
			by     *models.User
			in     service.ReportInput
			status int
		}{
			{"anonymous", nil, service.ReportInput{AccountID: bobA.ID}, 401},
			{"nothing named", ada, service.ReportInput{Comment: "hm"}, 422},
			{"a note one cannot see", ada, service.ReportInput{NoteIDs: []string{secret.ID}}, 404},
			{"notes of two authors", ada, service.ReportInput{NoteIDs: []string{spam.ID, mine.ID}}, 422},
			{"oneself", ada, service.ReportInput{AccountID: adaA.ID}, 422},
			{"too long", ada, service.ReportInput{AccountID: bobA.ID, Comment: strings.Repeat("x", 1001)}, 422},
			{"unknown account", ada, service.ReportInput{AccountID: "01nope"}, 404},
		}
		for _, c := range files {
			t.Run("file "+c.name, func(t *testing.T) {
				if _, err := s.Moderation.File(ctx, c.by, c.in); servicetest.Status(err) != c.status {
					t.Fatalf("status %d (%v), want %d", servicetest.Status(err), err, c.status)
				}
			})
		}
		r1, err := s.Moderation.File(ctx, ada, service.ReportInput{NoteIDs: []string{spam.ID}, Comment: "spam"})
		if err != nil || r1.TargetActorID != bobA.ID || len(r1.ObjectURIs) != 2 || r1.ObjectURIs[1] != spam.URI {
			t.Fatalf("file: %+v %v", r1, err)
		}
		r2, _ := s.Moderation.File(ctx, ada, service.ReportInput{AccountID: zed.ID, Comment: "troll"})
		r3, _ := s.Moderation.File(ctx, ada, service.ReportInput{AccountID: bobA.ID, Comment: "again"})

		resolves := []struct {
			name   string
			by     *models.User
			id     string
			res    service.ReportResolution
			status int
		}{
			{"member may not", ada, r1.ID, service.ReportResolution{Action: "none"}, 403},
			{"unknown action", mod, r1.ID, service.ReportResolution{Action: "nuke"}, 422},
			{"removal needs a reason", mod, r1.ID, service.ReportResolution{Action: models.ReportActionRemoveContent}, 422},
			{"remove content", mod, r1.ID, service.ReportResolution{Action: models.ReportActionRemoveContent, Note: "advertising is not allowed"}, 0},
			{"resolved once", mod, r1.ID, service.ReportResolution{Action: "none"}, 409},
			{"moderator may not block a domain", mod, r2.ID, service.ReportResolution{Action: models.ReportActionBlockDomain}, 403},
			{"admin blocks the domain", admin, r2.ID, service.ReportResolution{Action: models.ReportActionBlockDomain, Note: "troll farm"}, 0},
			{"no block of a local account's domain", admin, r3.ID, service.ReportResolution{Action: models.ReportActionBlockDomain}, 422},
			{"moderator suspends a member", mod, r3.ID, service.ReportResolution{Action: models.ReportActionSuspend, Note: "repeat"}, 0},
		}
		for _, c := range resolves {
			t.Run("resolve "+c.name, func(t *testing.T) {
				if err := s.Moderation.Resolve(ctx, c.by, c.id, c.res); servicetest.Status(err) != c.status {
					t.Fatalf("status %d (%v), want %d", servicetest.Status(err), err, c.status)
				}
			})
		}
		if n, _ := st.NoteByID(ctx, spam.ID); n.DeletedAt == nil {
			t.Fatal("reported note not removed")
		}
		got, _ := st.ReportByID(ctx, r1.ID)
		if got.ResolvedAt == nil || got.ResolvedByID != mod.ID || got.Action != models.ReportActionRemoveContent || got.Resolution != "advertising is not allowed" {
			t.Fatalf("resolution not recorded: %+v", got)
		}
		// The author was told why, by a direct note from the instance actor.
		tl, err := s.Social.Timeline(ctx, bobA, "", 10)
		found := false
		for _, e := range tl {
			if strings.Contains(e.Note.Content, "advertising is not allowed") && e.Note.Visibility == models.VisibilityDirect {
				found = true
			}
		}
		if err != nil || !found {
			t.Fatalf("the author was not told why (%d entries, %v)", len(tl), err)
		}
		if pol, _ := s.Admin.DomainPolicies(ctx, admin); len(pol) != 1 || pol[0].Domain != "bad.example" {
			t.Fatalf("domain not blocked: %+v", pol)
		}
		if u, _ := s.Accounts.ByUsername(ctx, "bob"); !u.Suspended {
			t.Fatal("bob not suspended")
		}
		if unresolved, _ := st.ReportByID(ctx, r2.ID); unresolved.Action != models.ReportActionBlockDomain {
			t.Fatal("block not recorded")
		}
	})
}
