package federation_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// visReader is one reader of the visibility table: a local user (API token and
// web session), anonymous, or a remote actor whose server signs its GETs.
type visReader struct {
	name    string
	token   string   // API bearer token (local users)
	session string   // commonsd_session cookie (local users)
	remote  *cmActor // signs ActivityPub GETs (remote readers)
}

func (r visReader) local() bool { return r.token != "" }

// visGet GETs path on inst as r: with r's token or session for local readers,
// signed by r for remote ones, plain for anonymous.
func visGet(t *testing.T, inst *apptest.Instance, r visReader, path, accept string, api bool) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, inst.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	switch {
	case r.remote != nil:
		if err := signing.SignRequest(req, r.remote.KeyID, r.remote.Key, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
	case api && r.token != "":
		req.Header.Set("Authorization", "Bearer "+r.token)
	case r.session != "":
		req.AddCookie(&http.Cookie{Name: "commonsd_session", Value: r.session})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// visRemoteNote builds a Create(Note) by a fake actor with the given addressing
// and serves the note at its id, as its origin would.
func visRemoteNote(a *cmActor, word string, to, cc, audience []any, tags []any) (create map[string]any, noteID string) {
	noteID = a.id("statuses")
	now := time.Now().UTC().Format(time.RFC3339)
	note := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": noteID, "type": "Note",
		"attributedTo": a.URI, "content": "<p>" + word + " about the #veg beds</p>", "published": now, "tag": tags}
	create = map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": noteID + "/activity",
		"type": "Create", "actor": a.URI, "published": now}
	for k, v := range map[string][]any{"to": to, "cc": cc, "audience": audience} {
		if v != nil {
			note[k], create[k] = v, v
		}
	}
	a.fake.put(noteID, note)
	embedded := map[string]any{}
	for k, v := range note {
		if k != "@context" {
			embedded[k] = v
		}
	}
	create["object"] = embedded
	return create, noteID
}

// TestVisibilityTable: every visibility × every reader × every read path, what is
// shown and what is not. Notes: ada's own four (public and unlisted ones posted
// into the community, followers-only and direct ones mentioning a local and a
// remote addressee), and a remote author's public, followers-only and direct
// notes addressed to the community. The private remote notes must be no
// community post: not listed, not in feeds, not relayed to the Group's
// followers (the control, the public one, is relayed), while their addressees
// (a local user, the community's steward) still get them in their timelines.
func TestVisibilityTable(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	group, maria := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden"})

	// Other servers: A hosts the remote addressee (remy) and ash, who only signs
	// fetches; B hosts nora, a follower of the Group who is addressed by nothing;
	// C hosts rita, the remote author.
	fakeA, fakeB, fakeC := newCMFake(t), newCMFake(t), newCMFake(t)
	remy, ash := fakeA.mastodon(t, "remy"), fakeA.mastodon(t, "ash")
	nora := fakeB.mastodon(t, "nora")
	rita := fakeC.mastodon(t, "rita")
	known := map[string]*models.Actor{}
	for _, a := range []*cmActor{remy, ash, nora, rita} {
		act, err := svc.Social.ResolveActor(ctx, a.URI)
		if err != nil {
			t.Fatal(err)
		}
		known[a.URI] = act
	}
	cmFollowGroup(t, inst, nora, group)

	local := map[string]visReader{}
	actors := map[string]*models.Actor{"maria": maria}
	for _, name := range []string{"ada", "fol", "mem", "adr", "maria"} {
		if name != "maria" {
			newUser(t, inst, name)
			actors[name] = actorOf(t, inst, name)
		}
		u, err := svc.Accounts.ByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := svc.Accounts.NewToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		sess, _, err := svc.Accounts.NewSession(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		local[name] = visReader{name: name, token: tok, session: sess}
	}
	ada := actors["ada"]
	if _, err := svc.Social.Follow(ctx, actors["fol"], ada, ""); err != nil {
		t.Fatal(err)
	}
	f, err := svc.Social.Follow(ctx, actors["fol"], known[rita.URI], "")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Social.ReceiveFollowAnswer(ctx, known[rita.URI], f.URI, "", true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Communities.Join(ctx, actors["mem"], group, ""); err != nil {
		t.Fatal(err)
	}

	// ada's notes. The remote mention must resolve for the addressee-server rows
	// to mean anything.
	hostA := strings.TrimPrefix(fakeA.srv.URL, "http://")
	notes := map[string]*models.Note{}
	for _, v := range []struct{ word, vis, community string }{
		{"WORDpub", models.VisibilityPublic, "garden"},
		{"WORDunl", models.VisibilityUnlisted, "garden"},
		{"WORDfol", models.VisibilityFollowers, ""},
		{"WORDdir", models.VisibilityDirect, ""},
	} {
		n, err := svc.Social.PostNote(ctx, ada, service.NoteInput{Content: v.word + " #veg @adr @remy@" + hostA,
			Visibility: v.vis, Community: v.community})
		if err != nil {
			t.Fatalf("%s: %v", v.word, err)
		}
		if !slices.Contains(append(append([]string{}, n.To...), n.CC...), remy.URI) {
			t.Fatalf("%s: remy not addressed: to %s cc %s", v.word, n.To, n.CC)
		}
		notes[v.word] = n
	}

	// rita's notes to the community.
	public := "https://www.w3.org/ns/activitystreams#Public"
	tags := []any{map[string]any{"type": "Mention", "href": group.URI, "name": "@garden@" + inst.Host},
		map[string]any{"type": "Mention", "href": actors["adr"].URI, "name": "@adr@" + inst.Host},
		map[string]any{"type": "Hashtag", "href": inst.URL + "/tags/veg", "name": "#veg"}}
	for _, v := range []struct {
		word   string
		to, cc []any
	}{
		// The private ones first: their relay, if any, would be queued before
		// the control's.
		{"WORDrfol", []any{rita.URI + "/followers"}, []any{group.URI, actors["adr"].URI}},
		{"WORDrdir", []any{group.URI, actors["adr"].URI}, nil},
		{"WORDrpub", []any{public}, []any{rita.URI + "/followers", group.URI}},
	} {
		create, id := visRemoteNote(rita, v.word, v.to, v.cc, nil, tags)
		if code, body := rita.post(t, group.InboxURI, create); code != http.StatusAccepted {
			t.Fatalf("%s: %d %s", v.word, code, body)
		}
		if row := cmOutcome(t, inst, create["id"].(string)); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s %s", v.word, row.State, row.Error)
		}
		n, err := inst.App.Store.NoteByURI(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		notes[v.word] = n
	}
	// The public one is relayed (the control); then nothing private may have
	// reached the Group's follower's server.
	fakeB.waitPost(t, "Announce of the public post", cmIs("Announce", group.URI, notes["WORDrpub"].URI))
	for _, p := range fakeB.posts() {
		b, _ := json.Marshal(p.Body)
		for _, w := range []string{"WORDrfol", "WORDrdir", "WORDfol", "WORDdir"} {
			if strings.Contains(string(b), w) {
				t.Errorf("%s reached a server it was not addressed to: %s", w, b)
			}
		}
	}

	readers := []visReader{{name: "anon"}, local["fol"], local["mem"], local["adr"], local["maria"],
		{name: "srvOther", remote: nora}, {name: "srvAddr", remote: ash}}
	// shows[path][word] is who sees the note on that path (space-separated
	// reader names); a reader for whom the path does not apply is skipped.
	everyone := "anon fol mem adr maria srvOther srvAddr"
	community := map[string]string{"WORDpub": everyone, "WORDunl": everyone, "WORDrpub": everyone}
	shows := map[string]map[string]string{
		"api discussions": community,
		"api thread":      community,
		"html community":  community,
		"html thread":     community,
		"feed":            community,
		"tag page":        {"WORDpub": everyone, "WORDrpub": everyone},
		"ap note": {"WORDpub": everyone, "WORDunl": everyone,
			"WORDfol": "srvAddr", "WORDdir": "srvAddr"},
		"ap activity": {"WORDpub": everyone, "WORDunl": everyone,
			"WORDfol": "srvAddr", "WORDdir": "srvAddr"},
		"ap outbox": {"WORDpub": everyone, "WORDunl": everyone},
		// Home timelines hold what was delivered: ada's followers get her
		// non-direct notes, addressees all that mention them, the steward the
		// private notes addressed to her community; rita's follower her
		// public and followers-only ones (all of rita's mention adr); the
		// community's posts (public and unlisted ones addressed to it) reach
		// its member (joining follows the Group) and its steward (issue 10 §2).
		"api timeline": {"WORDpub": "fol adr mem maria", "WORDunl": "fol adr mem maria", "WORDfol": "fol adr", "WORDdir": "adr",
			"WORDrpub": "fol adr mem maria", "WORDrfol": "fol adr maria", "WORDrdir": "adr maria"},
		"html home": {"WORDpub": "fol adr mem maria", "WORDunl": "fol adr mem maria", "WORDfol": "fol adr", "WORDdir": "adr",
			"WORDrpub": "fol adr mem maria", "WORDrfol": "fol adr maria", "WORDrdir": "adr maria"},
	}
	const ap = "application/activity+json"
	type visPath struct {
		name    string
		applies func(r visReader) bool
		// get returns whether word is shown.
		get func(r visReader, word string) bool
	}
	localOrAnon := func(r visReader) bool { return r.remote == nil }
	notLocal := func(r visReader) bool { return !r.local() }
	contains := func(r visReader, path, accept string, api bool, word string) bool {
		code, body := visGet(t, inst, r, path, accept, api)
		if code != http.StatusOK {
			t.Fatalf("%s GET %s: %d %s", r.name, path, code, body)
		}
		return strings.Contains(body, word)
	}
	found := func(r visReader, path, accept string, api bool, word string) bool {
		code, body := visGet(t, inst, r, path, accept, api)
		switch code {
		case http.StatusOK:
			return strings.Contains(body, word)
		case http.StatusNotFound:
			return false
		}
		t.Fatalf("%s GET %s: %d %s", r.name, path, code, body)
		return false
	}
	paths := []visPath{
		{"api discussions", localOrAnon, func(r visReader, w string) bool {
			return contains(r, "/api/v1/communities/garden/discussions", "", true, w)
		}},
		{"api thread", localOrAnon, func(r visReader, w string) bool {
			return found(r, "/api/v1/communities/garden/discussions/"+notes[w].ID, "", true, w)
		}},
		{"html community", localOrAnon, func(r visReader, w string) bool { return contains(r, "/c/garden", "text/html", false, w) }},
		{"html thread", localOrAnon, func(r visReader, w string) bool {
			return found(r, "/c/garden/posts/"+notes[w].ID, "text/html", false, w)
		}},
		{"feed", func(r visReader) bool { return r.name == "anon" }, func(r visReader, w string) bool {
			return contains(r, "/c/garden/feed.rss", "", false, w) && contains(r, "/c/garden/feed.atom", "", false, w)
		}},
		{"tag page", localOrAnon, func(r visReader, w string) bool { return contains(r, "/tags/veg", "text/html", false, w) }},
		{"ap note", notLocal, func(r visReader, w string) bool {
			if !notes[w].Local {
				return false // only our own notes are served
			}
			return found(r, "/notes/"+notes[w].ID, ap, false, w)
		}},
		{"ap activity", notLocal, func(r visReader, w string) bool {
			if !notes[w].Local {
				return false
			}
			return found(r, strings.TrimPrefix(createOf(t, inst, notes[w]), inst.URL), ap, false, w)
		}},
		{"ap outbox", notLocal, func(r visReader, w string) bool {
			return contains(r, "/users/ada/outbox?page=1", ap, false, w)
		}},
		{"api timeline", visReader.local, func(r visReader, w string) bool { return contains(r, "/api/v1/timeline", "", true, w) }},
		{"html home", visReader.local, func(r visReader, w string) bool { return contains(r, "/home", "text/html", false, w) }},
	}
	words := []string{"WORDpub", "WORDunl", "WORDfol", "WORDdir", "WORDrpub", "WORDrfol", "WORDrdir"}
	for _, p := range paths {
		for _, r := range readers {
			if !p.applies(r) {
				continue
			}
			for _, w := range words {
				want := strings.Contains(" "+shows[p.name][w]+" ", " "+r.name+" ")
				if got := p.get(r, w); got != want {
					t.Errorf("%s, %s reads %s (%s): shown %v, want %v", p.name, r.name, w, notes[w].Visibility, got, want)
				}
			}
		}
	}
}

// TestAudienceOnlyGroupPostIsPublic: Discourse and NodeBB address a forum post
// with audience only, no to or cc. It is a public post in that Group: stored as
// public, listed in the discussions and relayed to the Group's followers.
func TestAudienceOnlyGroupPostIsPublic(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, inst, "maria", "forum", service.CommunityInput{Name: "Forum"})
	fake, other := newCMFake(t), newCMFake(t)
	nora := other.mastodon(t, "nora")
	cmFollowGroup(t, inst, nora, group)
	bob := fake.mastodon(t, "bob")
	create, id := visRemoteNote(bob, "WORDforum", nil, nil, []any{group.URI}, nil)
	if code, body := bob.post(t, group.InboxURI, create); code != http.StatusAccepted {
		t.Fatalf("Create: %d %s", code, body)
	}
	if row := cmOutcome(t, inst, create["id"].(string)); row.State != models.ActivityProcessed {
		t.Fatalf("Create ended %s %q", row.State, row.Error)
	}
	n, err := inst.App.Store.NoteByURI(ctx, id)
	if err != nil || n.Visibility != models.VisibilityPublic || n.AudienceURI != group.URI {
		t.Fatalf("note %+v %v", n, err)
	}
	code, body := visGet(t, inst, visReader{name: "anon"}, "/api/v1/communities/forum/discussions", "", true)
	if code != http.StatusOK || !strings.Contains(body, "WORDforum") {
		t.Fatalf("discussions: %d %s", code, body)
	}
	other.waitPost(t, "Announce of the forum post", cmIs("Announce", group.URI, id))
}

// TestCommunityCollectionsHideMembers: a community whose member list is private
// serves only the totals of its followers and following collections (its
// followers are mostly its members), as Mastodon does for hidden collections; a
// community with a public member list serves the pages.
func TestCommunityCollectionsHideMembers(t *testing.T) {
	inst := apptest.Start(t)
	fake := newCMFake(t)
	nora := fake.mastodon(t, "nora")
	for _, tc := range []struct {
		handle string
		public bool
	}{{"closed", false}, {"open", true}} {
		group, _ := cmCommunity(t, inst, "founder"+tc.handle, tc.handle, service.CommunityInput{MembersPublic: tc.public})
		cmFollowGroup(t, inst, nora, group)
		for _, r := range []visReader{{name: "anon"}, {name: "signed", remote: nora}} {
			code, body := visGet(t, inst, r, "/users/"+tc.handle+"/followers", "application/activity+json", false)
			if code != http.StatusOK || !strings.Contains(body, `"totalItems":1`) {
				t.Fatalf("%s %s followers: %d %s", tc.handle, r.name, code, body)
			}
			if strings.Contains(body, `"first"`) != tc.public {
				t.Errorf("%s %s followers: first page offered %v, want %v: %s", tc.handle, r.name, !tc.public, tc.public, body)
			}
			code, body = visGet(t, inst, r, "/users/"+tc.handle+"/followers?page=1", "application/activity+json", false)
			if code != http.StatusOK || strings.Contains(body, nora.URI) != tc.public {
				t.Errorf("%s %s followers page lists the follower: %v, want %v: %d %s", tc.handle, r.name,
					strings.Contains(body, nora.URI), tc.public, code, body)
			}
			code, body = visGet(t, inst, r, "/users/"+tc.handle+"/following?page=1", "application/activity+json", false)
			if code != http.StatusOK || strings.Contains(body, `"orderedItems"`) != tc.public {
				t.Errorf("%s %s following page: %d %s", tc.handle, r.name, code, body)
			}
		}
	}
}

// createOf is the id of the Create activity of a local note.
func createOf(t *testing.T, inst *apptest.Instance, n *models.Note) string {
	t.Helper()
	var a models.Activity
	if err := inst.App.Store.DB.Where("local = ? AND type = ? AND object_uri = ?", true, "Create", n.URI).First(&a).Error; err != nil {
		t.Fatalf("Create of %s: %v", n.URI, err)
	}
	return a.URI
}

// TestSignedFetchUnderAuthorizedFetch: with federation.authorized_fetch, the
// signer the middleware verified is the reader: the addressee's server reads a
// direct note, another server gets a 404, an unsigned GET a 401.
func TestSignedFetchUnderAuthorizedFetch(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Federation.AuthorizedFetch = true })
	ctx := context.Background()
	fakeA, fakeB := newCMFake(t), newCMFake(t)
	remy, ash, nora := fakeA.mastodon(t, "remy"), fakeA.mastodon(t, "ash"), fakeB.mastodon(t, "nora")
	if _, err := inst.App.Svc.Social.ResolveActor(ctx, remy.URI); err != nil {
		t.Fatal(err)
	}
	newUser(t, inst, "ada")
	n, err := inst.App.Svc.Social.PostNote(ctx, actorOf(t, inst, "ada"), service.NoteInput{
		Content: "WORDsecret @remy@" + strings.TrimPrefix(fakeA.srv.URL, "http://"), Visibility: models.VisibilityDirect})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r    visReader
		code int
	}{
		{visReader{name: "anon"}, http.StatusUnauthorized},
		{visReader{name: "other server", remote: nora}, http.StatusNotFound},
		{visReader{name: "addressee's server", remote: ash}, http.StatusOK},
	} {
		for _, path := range []string{"/notes/" + n.ID, strings.TrimPrefix(createOf(t, inst, n), inst.URL)} {
			code, body := visGet(t, inst, tc.r, path, "application/activity+json", false)
			if code != tc.code || strings.Contains(body, "WORDsecret") != (tc.code == http.StatusOK) {
				t.Errorf("%s GET %s: %d, want %d: %s", tc.r.name, path, code, tc.code, body)
			}
		}
	}
}
