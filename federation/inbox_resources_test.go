package federation_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/models"
)

// TestInboxStalledBodiesHoldNoSlot: more clients than the inbox has slots
// send headers and then stall in their bodies; a real sender is still
// answered 202, because bodies are read before a slot is taken (issue 7.4).
func TestInboxStalledBodiesHoldNoSlot(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	rem := newRemote(t)
	x := rem.Actor("x")
	inbox := inst.ActorURL("ada") + "/inbox"
	host := strings.TrimPrefix(inst.URL, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < federation.InboxConcurrency+44; i++ {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST /users/ada/inbox HTTP/1.1\r\nHost: %s\r\nContent-Type: application/activity+json\r\nContent-Length: 1000\r\n\r\n{\"type\":", host)
	}
	// Every stalled request has reached the handler once the server counts
	// them; there is no counter to wait on, so send the real request a few
	// times while they stall and require 202 each time.
	for i := 0; i < 3; i++ {
		id := fmt.Sprintf("%s/follows/%d", rem.URL(), i)
		code, body := rem.postAs(t, inbox, x, mustJSON(t, followDoc(x, id, inst.ActorURL("ada"))))
		if code != http.StatusAccepted {
			t.Fatalf("real sender answered %d while %d clients stall: %s", code, len(conns), body)
		}
	}
}

// TestInboxPermanentFailuresAreNotRetried: an object that is gone, too big
// for our limits, or not a document we read makes the job give up at once,
// with the reason recorded (issue 7.4).
func TestInboxPermanentFailuresAreNotRetried(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	rem := newRemote(t)
	x := rem.Actor("x")
	var hits atomic.Int64
	tags := make([]string, 5000) // under the fetch size limit, over the tag limit
	for i := range tags {
		tags[i] = fmt.Sprintf(`{"type":"Hashtag","name":"#t%d","href":"https://h.example/t/%d"}`, i, i)
	}
	var origin *httptest.Server
	origin = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/activity+json")
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/410":
			w.WriteHeader(http.StatusGone)
		case "/tags":
			fmt.Fprintf(w, `{"@context":"https://www.w3.org/ns/activitystreams","id":"%s/tags","type":"Note","attributedTo":"%s/users/o","content":"x","to":["https://www.w3.org/ns/activitystreams#Public"],"tag":[%s]}`,
				origin.URL, origin.URL, strings.Join(tags, ","))
		case "/notjson":
			fmt.Fprint(w, `{"id":`)
		case "/big":
			fmt.Fprintf(w, `{"id":"%s/big","type":"Note","content":"%s"}`, origin.URL, strings.Repeat("a", 8<<20))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(origin.Close)
	inbox := inst.ActorURL("ada") + "/inbox"
	cases := []struct{ path, reason string }{
		{"/404", "not found"},
		{"/410", "deleted"},
		{"/tags", "at most"},
		{"/notjson", "invalid"},
		{"/big", "too large"},
	}
	for i, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			id := fmt.Sprintf("%s/announces/%d", rem.URL(), i)
			body := mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Announce",
				"actor": x, "object": origin.URL + tc.path, "to": []string{asPublic}})
			if code, resp := rem.postAs(t, inbox, x, body); code != 202 {
				t.Fatalf("%d %s", code, resp)
			}
			row := waitProcessed(t, inst, id)
			if row.State != models.ActivityFailed || !strings.Contains(strings.ToLower(row.Error), tc.reason) {
				t.Fatalf("state %s (%q), want failed saying %q", row.State, row.Error, tc.reason)
			}
		})
	}
	var n int64
	inst.App.Store.DB.Model(&models.NoteTag{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d tags stored", n)
	}
}

// TestInboxKeepsWordPressIDs: ids with a second '#' or "&#038;" are kept byte
// for byte, so a Like, its Undo and an Announce of such a note match it.
func TestInboxKeepsWordPressIDs(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	rem := newRemote(t)
	x, wp := rem.Actor("x"), rem.Actor("wp")
	inbox := inst.ActorURL("ada") + "/inbox"
	post := func(actor string, doc map[string]any) string {
		t.Helper()
		id := doc["id"].(string)
		if code, body := rem.postAs(t, inbox, actor, mustJSON(t, doc)); code != 202 {
			t.Fatalf("%s: %d %s", id, code, body)
		}
		row := waitProcessed(t, inst, id)
		if row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s %s", id, row.State, row.Error)
		}
		return id
	}
	for i, noteID := range []string{
		rem.URL() + "/?p=12&#038;c=3#comment-4#reply",
		rem.URL() + "/2026/12/post/#comment-5#x",
	} {
		post(wp, createDoc(wp, fmt.Sprintf("%s/creates/%d", rem.URL(), i), noteID))
		n, err := inst.App.Store.NoteByURI(t.Context(), noteID)
		if err != nil {
			t.Fatalf("note %q not stored byte for byte: %v", noteID, err)
		}
		like := post(x, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": fmt.Sprintf("%s/likes/%d", rem.URL(), i), "type": "Like", "actor": x, "object": noteID})
		var likes int64
		inst.App.Store.DB.Model(&models.Like{}).Where("object_uri = ?", noteID).Count(&likes)
		if likes != 1 {
			t.Fatalf("like of %q not matched (%d)", noteID, likes)
		}
		post(x, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": fmt.Sprintf("%s/undos/%d", rem.URL(), i), "type": "Undo", "actor": x,
			"object": map[string]any{"id": like, "type": "Like", "actor": x, "object": noteID}})
		inst.App.Store.DB.Model(&models.Like{}).Where("object_uri = ?", noteID).Count(&likes)
		if likes != 0 {
			t.Fatalf("undo of the like of %q not matched", noteID)
		}
		post(x, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": fmt.Sprintf("%s/boosts/%d", rem.URL(), i), "type": "Announce", "actor": x,
			"object": noteID, "to": []string{asPublic}})
		var anns int64
		inst.App.Store.DB.Model(&models.Announce{}).Where("object_uri = ?", n.URI).Count(&anns)
		if anns != 1 {
			t.Fatalf("announce of %q not matched", noteID)
		}
	}
}
