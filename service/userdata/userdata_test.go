package userdata_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

const pw = "correct horse battery"

func TestExportAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		rec := &servicetest.Recorder{}
		s.SetPorts(rec, nil, nil)
		mk := func(name string) (*models.User, *models.Actor) {
			u, err := s.Accounts.Create(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := s.Accounts.ActorOf(ctx, u)
			return u, a
		}
		adaU, ada := mk("ada")
		_, bob := mk("bob")
		remote := func(name, shared string) *models.Actor {
			a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: name, Domain: "remote.example",
				URI: "https://remote.example/users/" + name, InboxURI: "https://remote.example/users/" + name + "/inbox", SharedInbox: shared}
			if err := st.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		zoe := remote("zoe", "https://remote.example/inbox")
		remote("yan", "https://remote.example/inbox")
		other := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "xi", Domain: "other.example",
			URI: "https://other.example/xi", InboxURI: "https://other.example/xi/inbox"}
		st.CreateActor(ctx, other)
		if _, err := s.Social.Follow(ctx, zoe, ada, "https://remote.example/follows/1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Social.Follow(ctx, ada, bob, ""); err != nil {
			t.Fatal(err)
		}
		f, err := s.Social.Follow(ctx, ada, zoe, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.TransitionFollow(ctx, f.ID, []string{models.FollowPending}, models.FollowAccepted); err != nil {
			t.Fatal(err) // zoe's server accepted
		}
		note, err := s.Social.PostNote(ctx, ada, service.NoteInput{Content: "my **seeds**", Visibility: models.VisibilityFollowers})
		if err != nil {
			t.Fatal(err)
		}
		group, _, err := s.Communities.Create(ctx, adaU, service.CommunityInput{Handle: "garden", Name: "Garden", Licence: "MIT"})
		if err != nil {
			t.Fatal(err)
		}

		// Export.
		e, err := s.UserData.Export(ctx, adaU)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(e)
		for _, want := range []string{`"email":"ada@example.org"`, `"source":"my **seeds**"`, `"handle":"bob@` + s.Cfg.PublicHost() + `"`,
			`"handle":"zoe@remote.example"`, `"community":"garden@`, `"role":"steward"`} {
			if !strings.Contains(string(raw), want) {
				t.Fatalf("export lacks %s:\n%s", want, raw)
			}
		}
		if len(e.Following) != 2 || len(e.Followers) != 1 || len(e.Notes) != 1 {
			t.Fatalf("export counts: following %d followers %d notes %d", len(e.Following), len(e.Followers), len(e.Notes))
		}
		csv, err := s.UserData.FollowsCSV(ctx, adaU)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
		if lines[0] != "Account address,Show boosts,Notify on new posts,Languages" || len(lines) != 3 ||
			!strings.Contains(string(csv), "zoe@remote.example,true,false,\n") {
			t.Fatalf("csv:\n%s", csv)
		}

		// Delete: wrong password, last steward, then handed over.
		if got := servicetest.Status(s.UserData.Delete(ctx, adaU, "wrong password")); got != 403 {
			t.Fatalf("wrong password: %d", got)
		}
		err = s.UserData.Delete(ctx, adaU, pw)
		if servicetest.Status(err) != 409 || !strings.Contains(err.Error(), "last steward of Garden") {
			t.Fatalf("last steward: %v", err)
		}
		if a, _ := st.ActorByID(ctx, ada.ID); a.DeletedAt != nil {
			t.Fatal("a refused deletion deleted the actor")
		}
		if _, err := s.Communities.Join(ctx, bob, group, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Communities.SetRole(ctx, ada, group, bob, models.RoleCommunitySteward); err != nil {
			t.Fatal(err)
		}
		sess, _, _ := s.Accounts.NewSession(ctx, adaU, "")
		rec.Take()
		if err := s.UserData.Delete(ctx, adaU, pw); err != nil {
			t.Fatal(err)
		}
		out := rec.Take()
		if len(out) != 1 || out[0].Type != service.TypeDelete || out[0].Object.ObjectID() != ada.URI || !out[0].ToFollowers {
			t.Fatalf("published %+v", out)
		}
		inboxes := map[string]bool{}
		for _, r := range out[0].Recipients {
			in := r.SharedInbox
			if in == "" {
				in = r.InboxURI
			}
			inboxes[in] = true
		}
		if len(out[0].Recipients) != 2 || !inboxes["https://remote.example/inbox"] || !inboxes["https://other.example/xi/inbox"] {
			t.Fatalf("recipients: one per known inbox, got %v", inboxes)
		}
		a, _ := st.ActorByID(ctx, ada.ID)
		if a.DeletedAt == nil || !a.Suspended || a.Name != "" {
			t.Fatalf("actor not deleted: %+v", a)
		}
		if n, _ := st.NoteByID(ctx, note.ID); n.DeletedAt == nil || n.Source != "" {
			t.Fatal("note not erased")
		}
		if n, _ := st.CountFollowers(ctx, ada.ID); n != 0 {
			t.Fatal("followers kept")
		}
		if ms, _ := st.MembershipsOf(ctx, ada.ID); len(ms) != 0 {
			t.Fatal("memberships kept")
		}
		if _, _, err := s.Accounts.SessionUser(ctx, sess); err == nil {
			t.Fatal("session kept")
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", pw, "10.0.0.1"); err == nil {
			t.Fatal("deleted account logs in")
		}
		if _, err := s.Accounts.Create(ctx, service.Registration{Username: "ada2", Email: "ada@example.org", Password: pw}); err != nil {
			t.Fatal("the e-mail address was not freed:", err)
		}
		if _, err := s.Accounts.Create(ctx, service.Registration{Username: "ADA", Email: "new@example.org", Password: pw}); err == nil {
			t.Fatal("the deleted handle was given to someone else")
		}
		if got := servicetest.Status(s.UserData.Delete(ctx, adaU, pw)); got != 403 && got != 409 {
			t.Fatalf("second deletion: %d", got)
		}
	})
}
