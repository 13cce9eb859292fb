package communities_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestRemoteCommunityModeration: a remote Group removes or locks only posts
// made in it, and never removes a post of this instance.
func TestRemoteCommunityModeration(t *testing.T) {
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
		remote := func(typ, name string) *models.Actor {
			a := &models.Actor{ID: models.NewID(), Type: typ, Username: name, UsernameLower: name, Domain: "remote.example",
				URI: "https://remote.example/" + name}
			if err := st.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		group, other, person, author := remote(models.ActorGroup, "g"), remote(models.ActorGroup, "h"), remote(models.ActorPerson, "p"), remote(models.ActorPerson, "z")
		note := func(by *models.Actor, audience string) *models.Note {
			n := &models.Note{ID: models.NewID(), URI: "https://" + models.NewID(), Type: "Note", AuthorID: by.ID, Content: "x",
				Visibility: models.VisibilityPublic, AudienceURI: audience, Local: by.Local(), Published: time.Now()}
			if err := st.CreateNote(ctx, n, nil); err != nil {
				t.Fatal(err)
			}
			return n
		}
		local, inG, inH, plain := note(ada, group.URI), note(author, group.URI), note(author, other.URI), note(author, "")
		cases := []struct {
			name   string
			by     *models.Actor
			note   *models.Note
			status int
		}{
			{"a local member's note in the group", group, local, http.StatusForbidden},
			{"a post of another group", group, inH, http.StatusForbidden},
			{"a post in no group", group, plain, http.StatusForbidden},
			{"by a person", person, inG, http.StatusForbidden},
			{"by a local actor", ada, inG, http.StatusForbidden},
			{"unknown post", group, &models.Note{URI: "https://remote.example/none"}, http.StatusNotFound},
			{"the group's own post", group, inG, 0},
			{"again (already removed)", group, inG, 0},
		}
		for _, tc := range cases {
			if err := s.Communities.RemoveRelayedPost(ctx, tc.by, tc.note.URI); status(err) != tc.status {
				t.Errorf("remove %s: %v, want %d", tc.name, err, tc.status)
			}
		}
		for _, n := range []*models.Note{local, inH, plain} {
			if got, _ := st.NoteByURI(ctx, n.URI); got.DeletedAt != nil {
				t.Errorf("%s was removed", n.URI)
			}
		}
		if got, _ := st.NoteByURI(ctx, inG.URI); got.DeletedAt == nil {
			t.Error("the group's post was not removed")
		}

		lockCases := []struct {
			name   string
			by     *models.Actor
			note   *models.Note
			status int
		}{
			{"another group", other, local, http.StatusForbidden},
			{"a person", person, local, http.StatusForbidden},
			{"unknown post", group, &models.Note{URI: "https://remote.example/none"}, http.StatusNotFound},
			{"the post's group", group, local, 0},
		}
		for _, tc := range lockCases {
			if err := s.Communities.SetThreadLocked(ctx, tc.by, tc.note.URI, true); status(err) != tc.status {
				t.Errorf("lock by %s: %v, want %d", tc.name, err, tc.status)
			}
		}
		if got, _ := st.NoteByURI(ctx, local.URI); !got.Locked {
			t.Error("not locked by its group")
		}
		if err := s.Communities.SetThreadLocked(ctx, group, local.URI, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.NoteByURI(ctx, local.URI); got.Locked {
			t.Error("not unlocked")
		}
	})
}
