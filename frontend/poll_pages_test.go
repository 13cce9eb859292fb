package frontend_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// remotePollOn stores a remote Question by author (a Mastodon account served
// by a loopback recorder) as social and governance keep one: a public note
// (in the community's thread when audience is set, tagged when tag is set)
// and its poll.
func remotePollOn(t *testing.T, inst *apptest.Instance, author *models.Actor, audience, inReplyTo, tag, text string) *models.Note {
	t.Helper()
	ctx := context.Background()
	id := models.NewID()
	n := &models.Note{ID: id, URI: author.URI + "/statuses/" + id, Type: "Question", AuthorID: author.ID, Content: "<p>" + text + "</p>",
		Visibility: models.VisibilityPublic, To: []string{"https://www.w3.org/ns/activitystreams#Public"}, AudienceURI: audience,
		InReplyToURI: inReplyTo, Published: time.Now().UTC()}
	var tags []models.NoteTag
	if tag != "" {
		tags = append(tags, models.NoteTag{ID: models.NewID(), NoteID: id, Type: "Hashtag", Name: "#" + tag})
	}
	if err := inst.App.Store.CreateNote(ctx, n, tags); err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(24 * time.Hour)
	err := inst.App.Svc.Governance.ReceivePoll(ctx, author, n, service.RemotePoll{URI: n.URI, EndTime: &end, Voters: 3,
		Options: []service.PollOption{{Name: "Tea", Count: 2}, {Name: "Coffee", Count: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRemotePollOnThreadAndTagPages: a remote poll (a Mastodon Question)
// shows with its tallies on a community's thread page (as the post and as a
// reply) and on a tag page, as on the home timeline; a signed-in member
// votes from each page, returns to it with the vote marked, and the vote
// leaves as Mastodon sends its own (Create{Note{name, inReplyTo}} to the
// poll's author) through the same service call as the home timeline's.
// Anonymous readers see the tallies without a form.
func TestRemotePollOnThreadAndTagPages(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var m map[string]any
			b, _ := io.ReadAll(r.Body)
			if json.Unmarshal(b, &m) == nil {
				mu.Lock()
				got = append(got, m)
				mu.Unlock()
			}
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	host := strings.TrimPrefix(srv.URL, "http://")
	ana := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "ana", UsernameLower: "ana", Domain: host,
		URI: srv.URL + "/users/ana", InboxURI: srv.URL + "/users/ana/inbox", SharedInbox: srv.URL + "/inbox"}
	if err := inst.App.Store.CreateActor(ctx, ana); err != nil {
		t.Fatal(err)
	}
	group, _, err := inst.App.Svc.Communities.Create(ctx, user(t, inst, "ada"), service.CommunityInput{Handle: "coop", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	post := remotePollOn(t, inst, ana, group.URI, "", "", "Tea or coffee at the meeting?")
	reply := remotePollOn(t, inst, ana, group.URI, post.URI, "", "Morning or evening?")
	tagged := remotePollOn(t, inst, ana, "", "", "brew", "Which kettle? #brew")
	thread := "/c/coop/posts/" + post.ID

	anon := newBrowser(t, inst)
	for _, path := range []string{thread, "/tags/brew"} {
		p := anon.get(path)
		want(t, p, http.StatusOK, "Tea: <strong>2</strong>", "3 people voted")
		if strings.Contains(p.Body, `/poll"`) {
			t.Fatalf("%s: an anonymous reader is offered a vote form", path)
		}
	}

	cases := []struct {
		page, noteID, option, count string // count: the option's tally after the vote
	}{
		{thread, post.ID, "Coffee", "2"},
		{thread, reply.ID, "Tea", "3"},
		{"/tags/brew", tagged.ID, "Tea", "3"},
	}
	for _, c := range cases {
		p := ada.get(c.page)
		want(t, p, http.StatusOK, `action="/notes/`+c.noteID+`/poll"`, `name="back" value="`+c.page+`"`)
		r := ada.post(c.page, "/notes/"+c.noteID+"/poll", url.Values{"option": {c.option}, "back": {c.page}})
		want(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != c.page+"?done=voted" {
			t.Fatalf("a vote from %s returns to %q", c.page, loc)
		}
		after := ada.get(c.page + "?done=voted")
		want(t, after, http.StatusOK, "Your vote was sent.", c.option+": <strong>"+c.count+"</strong> <span class=\"badge\">your vote</span>")
		if strings.Contains(after.Body, `action="/notes/`+c.noteID+`/poll"`) {
			t.Fatalf("%s still offers a vote on %s", c.page, c.noteID)
		}
	}
	if r := ada.post("/home", "/notes/"+post.ID+"/poll", url.Values{"option": {"Tea"}, "back": {thread}}); r.Status != http.StatusConflict {
		t.Fatalf("a second vote: %d", r.Status)
	}
	questions := map[string]string{post.URI: "Coffee", reply.URI: "Tea", tagged.URI: "Tea"}
	apptest.Eventually(t, "three Mastodon-shaped votes at ana's inbox", func() bool {
		mu.Lock()
		defer mu.Unlock()
		seen := 0
		for _, m := range got {
			obj, _ := m["object"].(map[string]any)
			if m["type"] != "Create" || obj == nil || obj["type"] != "Note" {
				continue
			}
			q, _ := obj["inReplyTo"].(string)
			if want, ok := questions[q]; ok && obj["name"] == want && obj["attributedTo"] == actor(t, inst, "ada").URI && obj["content"] == nil {
				seen++
			}
		}
		return seen == len(questions)
	})
}

// TestPollBackStaysLocal: the back field of a poll vote only ever returns to
// a local path.
func TestPollBackStaysLocal(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	ana := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "ana", UsernameLower: "ana", Domain: "127.0.0.1:9",
		URI: "http://127.0.0.1:9/users/ana", InboxURI: "http://127.0.0.1:9/users/ana/inbox"}
	if err := inst.App.Store.CreateActor(ctx, ana); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ back, want string }{
		{"", "/home?done=voted"},
		{"//evil.example/x", "/home?done=voted"},
		{"https://evil.example/x", "/home?done=voted"},
		{"/tags/brew", "/tags/brew?done=voted"},
	}
	for _, c := range cases {
		n := remotePollOn(t, inst, ana, "", "", "", "Tea?")
		r := ada.post("/home", "/notes/"+n.ID+"/poll", url.Values{"option": {"Tea"}, "back": {c.back}})
		want(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != c.want {
			t.Fatalf("back %q: Location %q, want %q", c.back, loc, c.want)
		}
	}
}
