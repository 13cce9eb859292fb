package core_test

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

func TestVisibilityOf(t *testing.T) {
	const (
		pub       = service.PublicCollection
		followers = "https://a.example/users/ada/followers"
		group     = "https://forum.example/c/garden"
		bob       = "https://b.example/users/bob"
	)
	for _, tc := range []struct {
		name             string
		to, cc, audience []string
		want             string
	}{
		{"public in to", []string{pub}, []string{followers}, nil, models.VisibilityPublic},
		{"as:Public in to", []string{"as:Public"}, nil, nil, models.VisibilityPublic},
		{"public in cc", []string{followers}, []string{pub}, nil, models.VisibilityUnlisted},
		{"followers", []string{followers}, []string{bob}, nil, models.VisibilityFollowers},
		{"another followers collection", []string{"https://a.example/c/g/followers"}, nil, nil, models.VisibilityFollowers},
		{"direct", []string{bob}, nil, nil, models.VisibilityDirect},
		{"nothing at all", nil, nil, nil, models.VisibilityDirect},
		{"audience only (Discourse, NodeBB)", nil, nil, []string{group}, models.VisibilityPublic},
		{"audience and a direct addressee", []string{group}, nil, []string{group}, models.VisibilityDirect},
		{"audience and followers", []string{followers}, nil, []string{group}, models.VisibilityFollowers},
		{"audience and public cc", nil, []string{pub}, []string{group}, models.VisibilityUnlisted},
	} {
		if got := service.VisibilityOf(tc.to, tc.cc, tc.audience, followers); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestCanSee is the service-level table of who reads what: each visibility ×
// anonymous, the author, a follower, an addressee, a stranger, a local user
// whose id matches an addressee only as a LIKE pattern would, a user the note
// was delivered to (a community's steward), and remote signers: the
// addressee, another actor of the addressee's server, an actor of a server
// with a follower of the author, and an actor of an unrelated server.
func TestCanSee(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		local := map[string]*models.Actor{}
		for _, name := range []string{"ada", "fol", "adr", "stranger", "ab_c", "stew"} {
			u, err := s.Accounts.SignUp(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			if local[name], err = s.Accounts.ActorOf(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		ada := local["ada"]
		remote := map[string]*models.Actor{}
		for name, host := range map[string]string{"remy": "a.example", "ash": "a.example", "nora": "b.example",
			"folr": "c.example", "cam": "c.example"} {
			uri := "https://" + host + "/users/" + name
			a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: name, UsernameLower: name, Domain: host,
				URI: uri, InboxURI: uri + "/inbox", FollowersURI: uri + "/followers"}
			if err := st.CreateActor(ctx, a); err != nil {
				t.Fatal(err)
			}
			remote[name] = a
		}
		if _, err := s.Social.Follow(ctx, local["fol"], ada, ""); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateFollow(ctx, &models.Follow{ID: models.NewID(), URI: "https://c.example/follows/1",
			FollowerID: remote["folr"].ID, TargetID: ada.ID, State: models.FollowAccepted}); err != nil {
			t.Fatal(err)
		}

		list := func(l ...string) []string { return l }
		mention := func(a *models.Actor) models.NoteTag { return models.NoteTag{Type: "Mention", Href: a.URI} }
		notes := map[string]*models.Note{}
		for _, v := range []struct {
			name, vis   string
			to, cc      []string
			tags        []models.NoteTag
			deliveredTo string
		}{
			{"public", models.VisibilityPublic, list(service.PublicCollection), list(ada.FollowersURI), nil, ""},
			{"unlisted", models.VisibilityUnlisted, list(ada.FollowersURI), list(service.PublicCollection), nil, ""},
			{"followers", models.VisibilityFollowers, list(ada.FollowersURI), list(local["adr"].URI, remote["remy"].URI),
				[]models.NoteTag{mention(local["adr"]), mention(remote["remy"])}, ""},
			{"direct", models.VisibilityDirect, list(local["adr"].URI, remote["remy"].URI), nil,
				[]models.NoteTag{mention(local["adr"])}, ""},
			// ab_c must not match "abxc" as a LIKE pattern would.
			{"direct-wildcard", models.VisibilityDirect, list(s.URLs().Actor("abxc")), nil, nil, ""},
			{"direct-delivered", models.VisibilityDirect, nil, nil, nil, "stew"},
		} {
			id := models.NewID()
			n := &models.Note{ID: id, URI: s.URLs().Note(id), Type: "Note", AuthorID: ada.ID, Content: v.name,
				Visibility: v.vis, To: v.to, CC: v.cc, Local: true, Published: time.Now()}
			if err := st.CreateNote(ctx, n, v.tags); err != nil {
				t.Fatal(err)
			}
			if v.deliveredTo != "" {
				if err := st.AddToTimelines(ctx, n.ID, "", []string{local[v.deliveredTo].ID}); err != nil {
					t.Fatal(err)
				}
			}
			notes[v.name] = n
		}

		everyone := "anon ada fol adr stranger ab_c stew remy ash nora cam"
		sees := map[string]string{
			"public":           everyone,
			"unlisted":         everyone,
			"followers":        "ada fol adr remy ash cam",
			"direct":           "ada adr remy ash",
			"direct-wildcard":  "ada",
			"direct-delivered": "ada stew",
		}
		readers := map[string]*models.Actor{"anon": nil, "cam": remote["cam"], "remy": remote["remy"],
			"ash": remote["ash"], "nora": remote["nora"]}
		for name, a := range local {
			readers[name] = a
		}
		for note, who := range sees {
			for name, r := range readers {
				want := contains(who, name)
				if got := s.CanSee(ctx, r, notes[note]); got != want {
					t.Errorf("%s reads the %s note: %v, want %v", name, note, got, want)
				}
			}
		}
		// A suspended reader reads as nobody.
		adr := *local["adr"]
		adr.Suspended = true
		if s.CanSee(ctx, &adr, notes["direct"]) {
			t.Error("a suspended addressee reads a direct note")
		}

		// Replying is reading: a reply to a note its author may not see is
		// refused as if the note did not exist.
		if _, err := s.Social.PostNote(ctx, local["stranger"], service.NoteInput{Content: "hello",
			InReplyTo: notes["direct"].URI}); servicetest.Status(err) != http.StatusNotFound {
			t.Errorf("a stranger replies to a direct note: %v", err)
		}
		if _, err := s.Social.PostNote(ctx, local["adr"], service.NoteInput{Content: "hello",
			InReplyTo: notes["direct"].URI}); err != nil {
			t.Errorf("the addressee replies to a direct note: %v", err)
		}

		// Lists agree with CanSee: the steward's timeline holds the note
		// delivered to her; the follower's timeline never holds what she may
		// not see even when an entry exists (a boost of a direct note).
		if err := st.AddToTimelines(ctx, notes["direct"].ID, remote["nora"].ID, []string{local["fol"].ID}); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string][]string{"stew": {"direct-delivered"}, "fol": nil} {
			tl, err := s.Social.Timeline(ctx, local[name], "", 40)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range tl {
				got = append(got, e.Note.Content)
			}
			if len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
				t.Errorf("%s's timeline: %v, want %v", name, got, want)
			}
		}
	})
}

func contains(spaceSeparated, word string) bool {
	for i := 0; i+len(word) <= len(spaceSeparated); i++ {
		if spaceSeparated[i:i+len(word)] == word && (i == 0 || spaceSeparated[i-1] == ' ') &&
			(i+len(word) == len(spaceSeparated) || spaceSeparated[i+len(word)] == ' ') {
			return true
		}
	}
	return false
}
