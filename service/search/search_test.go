package search_test

import (
	"context"
	"errors"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/search"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// fakeResolver answers one remote handle, and counts lookups.
type fakeResolver struct {
	st    *store.Store
	calls int
}

func (f *fakeResolver) ResolveActor(ctx context.Context, h string) (*models.Actor, error) {
	f.calls++
	if h != "zoe@remote.example" {
		return nil, errors.New("not found")
	}
	a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "zoe", UsernameLower: "zoe",
		Domain: "remote.example", URI: "https://remote.example/users/zoe", InboxURI: "https://remote.example/users/zoe/inbox"}
	return a, f.st.CreateActor(ctx, a)
}

func (f *fakeResolver) SubscribeTemplate(context.Context, string, string) (string, error) {
	return "", errors.New("no")
}

func names(l []*models.Actor) []string {
	out := []string{}
	for _, a := range l {
		out = append(out, a.Username)
	}
	return out
}

func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		res := &fakeResolver{st: st}
		s.SetPorts(nil, res, nil)
		mk := func(name string) (*models.User, *models.Actor) {
			u, err := s.Accounts.Create(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := s.Accounts.ActorOf(ctx, u)
			return u, a
		}
		adaU, ada := mk("ada")
		_, bob := mk("bob")
		_, eve := mk("eve_100")
		if _, _, err := s.Communities.Create(ctx, adaU, service.CommunityInput{Handle: "seed_library", Name: "Seed Library", Licence: "MIT"}); err != nil {
			t.Fatal(err)
		}
		post := func(a *models.Actor, vis, text string) *models.Note {
			n, err := s.Social.PostNote(ctx, a, service.NoteInput{Content: text, Visibility: vis})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		pub := post(bob, models.VisibilityPublic, "Tomatoes and #Seeds swap on Saturday, 100% organic")
		unl := post(bob, models.VisibilityUnlisted, "unlisted tomatoes")
		fol := post(bob, models.VisibilityFollowers, "followers-only tomatoes")
		dm := post(bob, models.VisibilityDirect, "direct tomatoes for @ada")
		_ = post(eve, models.VisibilityPublic, "under_score and it's \"quoted\" text")
		del := post(bob, models.VisibilityPublic, "deleted tomatoes")
		if err := s.Social.DeleteNote(ctx, bob, del.ID); err != nil {
			t.Fatal(err)
		}

		noteIDs := func(r *search.Results) map[string]bool {
			m := map[string]bool{}
			for _, h := range r.Notes {
				m[h.Note.ID] = true
			}
			return m
		}
		cases := []struct {
			name     string
			reader   *models.Actor
			q        search.Query
			status   int
			notes    []*models.Note // exactly these (when notesSet)
			notesSet bool
			accounts []string
			groups   []string
			tags     []string
		}{
			{name: "anonymous sees public only", q: search.Query{Q: "tomatoes", Type: "notes"}, notes: []*models.Note{pub}, notesSet: true},
			{name: "addressee sees the direct note", reader: ada, q: search.Query{Q: "tomatoes", Type: "notes"}, notes: []*models.Note{pub, dm}, notesSet: true},
			{name: "author sees all own", reader: bob, q: search.Query{Q: "tomatoes", Type: "notes"}, notes: []*models.Note{pub, unl, fol, dm}, notesSet: true},
			{name: "other reader", reader: eve, q: search.Query{Q: "tomatoes", Type: "notes"}, notes: []*models.Note{pub}, notesSet: true},
			{name: "two words", q: search.Query{Q: "tomatoes saturday", Type: "notes"}, notes: []*models.Note{pub}, notesSet: true},
			{name: "percent is literal", q: search.Query{Q: "1%0", Type: "notes"}, notesSet: true},
			{name: "underscore in notes is literal", q: search.Query{Q: "unde_", Type: "notes"}, notesSet: true},
			{name: "underscore is literal", q: search.Query{Q: "_", Type: "accounts"}, accounts: []string{"eve_100"}},
			{name: "percent in accounts", q: search.Query{Q: "%", Type: "accounts"}, accounts: []string{}},
			{name: "quotes", q: search.Query{Q: `"quoted`, Type: "notes"}},
			{name: "tsquery syntax", q: search.Query{Q: `tomatoes & !saturday | (:* <-> '`, Type: "notes"}},
			{name: "sql quote", q: search.Query{Q: `'; DROP TABLE notes; --`}},
			{name: "backslash", q: search.Query{Q: `\`, Type: "accounts"}, accounts: []string{}},
			{name: "people by prefix", q: search.Query{Q: "AD", Type: "accounts"}, accounts: []string{"ada"}},
			{name: "own handle", q: search.Query{Q: "@bob@" + s.Cfg.PublicHost(), Type: "accounts"}, accounts: []string{"bob"}},
			{name: "communities by name", q: search.Query{Q: "seed lib", Type: "communities"}, groups: []string{"seed_library"}},
			{name: "tags by prefix", q: search.Query{Q: "#see", Type: "tags"}, tags: []string{"seeds"}},
			{name: "anonymous does not resolve", q: search.Query{Q: "@zoe@remote.example", Type: "accounts"}, accounts: []string{}},
			{name: "empty", q: search.Query{Q: "  "}, status: 422},
			{name: "bad type", q: search.Query{Q: "x", Type: "users"}, status: 422},
			{name: "too long", q: search.Query{Q: string(make([]byte, 201))}, status: 422},
			{name: "nul byte", q: search.Query{Q: "a\x00b"}, status: 422},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r, err := s.Search.Run(ctx, c.reader, c.q)
				if got := servicetest.Status(err); got != c.status {
					t.Fatalf("status %d (%v), want %d", got, err, c.status)
				}
				if err != nil {
					return
				}
				if c.notesSet {
					got := noteIDs(r)
					if len(got) != len(c.notes) {
						t.Fatalf("%d notes, want %d", len(got), len(c.notes))
					}
					for _, n := range c.notes {
						if !got[n.ID] {
							t.Fatalf("note %q missing", n.Content)
						}
					}
				}
				if c.accounts != nil && !equal(names(r.Accounts), c.accounts) {
					t.Fatalf("accounts %v, want %v", names(r.Accounts), c.accounts)
				}
				if c.groups != nil && !equal(names(r.Communities), c.groups) {
					t.Fatalf("communities %v, want %v", names(r.Communities), c.groups)
				}
				if c.tags != nil {
					var got []string
					for _, tg := range r.Tags {
						got = append(got, tg.Name)
					}
					if !equal(got, c.tags) {
						t.Fatalf("tags %v, want %v", got, c.tags)
					}
				}
			})
		}
		if res.calls != 0 {
			t.Fatal("an anonymous search contacted another server")
		}
		r, err := s.Search.Run(ctx, ada, search.Query{Q: "@zoe@remote.example"})
		if err != nil || !r.Resolved || !equal(names(r.Accounts), []string{"zoe"}) {
			t.Fatalf("resolve: %+v %v", r, err)
		}
		r, err = s.Search.Run(ctx, nil, search.Query{Q: "zoe@remote.example", Type: "accounts"})
		if err != nil || r.Resolved || !equal(names(r.Accounts), []string{"zoe"}) || res.calls != 1 {
			t.Fatalf("known remote: %+v %v (calls %d)", r, err, res.calls)
		}
		if _, err := s.Search.Run(ctx, ada, search.Query{Q: "@nobody@remote.example"}); err != nil {
			t.Fatal("an unresolvable handle is an empty result, not an error:", err)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
