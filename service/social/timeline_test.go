package social_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestTimelineOneEntryPerNote: a note that reached a home timeline twice (posted
// by someone followed and boosted by a community, in either order) is shown once,
// at its newest entry, with "boosted by" whenever one of its entries is a boost;
// paging with maxID neither repeats nor loses a note.
func TestTimelineOneEntryPerNote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		u, err := s.Accounts.SignUp(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		ada, err := s.Accounts.ActorOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		remote := func(name, typ string) *models.Actor {
			uri := "https://r.example/users/" + name
			a := &models.Actor{ID: models.NewID(), Type: typ, Username: name, UsernameLower: name, Domain: "r.example",
				URI: uri, InboxURI: uri + "/inbox", FollowersURI: uri + "/followers"}
			if err := st.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		rem, group := remote("rem", models.ActorPerson), remote("garden", models.ActorGroup)
		note := func(text string) *models.Note {
			id := models.NewID()
			n := &models.Note{ID: id, URI: "https://r.example/notes/" + id, Type: "Note", AuthorID: rem.ID, Content: text,
				Visibility: models.VisibilityPublic, To: []string{service.PublicCollection}, Published: time.Now()}
			if err := st.CreateNote(ctx, n, []models.NoteTag{{Type: "Mention", Href: ada.URI}}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		add := func(n *models.Note, boostedBy string) {
			if err := st.AddToTimelines(ctx, n.ID, boostedBy, []string{ada.ID}); err != nil {
				t.Fatal(err)
			}
		}
		first := note("first")
		add(first, "")
		plain := note("plain")
		add(plain, "")
		directThenBoost := note("direct then boost")
		add(directThenBoost, "")
		add(directThenBoost, group.ID)
		boostThenDirect := note("boost then direct")
		add(boostThenDirect, group.ID)
		add(boostThenDirect, "")
		// A boost of an older note brings it to the top, once.
		add(first, group.ID)

		type row struct {
			text    string
			boosted bool
		}
		want := []row{{"first", true}, {"boost then direct", true}, {"direct then boost", true}, {"plain", false}}
		for _, limit := range []int{40, 1, 3} {
			var got []row
			maxID := ""
			for range 10 {
				page, err := s.Social.Timeline(ctx, ada, maxID, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				for _, e := range page {
					r := row{text: e.Note.Content, boosted: e.BoostedBy != nil}
					if r.boosted && e.BoostedBy.ID != group.ID {
						t.Fatalf("boosted by %s, want the community", e.BoostedBy.ID)
					}
					got = append(got, r)
				}
				maxID = page[len(page)-1].ID
			}
			if len(got) != len(want) {
				t.Fatalf("limit %d: timeline %+v, want %+v", limit, got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("limit %d: timeline %+v, want %+v", limit, got, want)
				}
			}
		}
	})
}
