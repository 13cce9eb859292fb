package fedpeer

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Two Fedify peers federate over 127.0.0.1: follow, accept, post, boost,
// like, unfollow. Proves the harness before commonsd's server exists.
func TestTwoPeers(t *testing.T) {
	a, b := Start(t), Start(t)

	followID, err := a.Follow(b.ActorURL())
	if err != nil {
		t.Fatal(err)
	}
	acc := a.WaitFor(t, func(x Activity) bool {
		return x.Type == "Accept" && x.Actor == b.ActorURL() && x.Object == followID
	}, 10*time.Second)
	if acc.Raw == nil {
		t.Errorf("Accept recorded without its raw body")
	}
	if fs, err := b.Followers(); err != nil || !slices.Contains(fs, a.ActorURL()) {
		t.Fatalf("B's followers = %v, %v; want A", fs, err)
	}
	if fw, err := a.Following(); err != nil || len(fw) != 1 || fw[0].State != "accepted" {
		t.Fatalf("A's following = %+v, %v", fw, err)
	}

	noteID, err := b.Post("<p>hello from B</p>")
	if err != nil {
		t.Fatal(err)
	}
	c := a.WaitFor(t, func(x Activity) bool { return x.Type == "Create" && x.Object == noteID }, 10*time.Second)
	if c.FetchedObject == nil || c.FetchedObject.Type != "Note" || c.FetchedObject.Content == nil ||
		*c.FetchedObject.Content != "<p>hello from B</p>" {
		t.Errorf("Create's object = %+v (error %v)", c.FetchedObject, c.FetchError)
	}

	// A boosts B's note; B receives the Announce and fetches the note by id.
	if _, err := a.Announce(noteID); err != nil {
		t.Fatal(err)
	}
	ann := b.WaitFor(t, OfType("Announce", a.ActorURL()), 10*time.Second)
	if ann.FetchError != nil || ann.FetchedObject == nil || ann.FetchedObject.ID != noteID {
		t.Errorf("Announce object = %+v, error %v", ann.FetchedObject, ann.FetchError)
	}
	if _, err := a.Like(noteID); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(t, func(x Activity) bool { return x.Type == "Like" && x.Object == noteID }, 10*time.Second)

	if _, err := a.Unfollow(b.ActorURL()); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(t, OfType("Undo", a.ActorURL()), 10*time.Second)
	if fs, err := b.Followers(); err != nil || len(fs) != 0 {
		t.Fatalf("B's followers after Undo = %v, %v", fs, err)
	}

	for _, p := range []*Peer{a, b} {
		if rs, err := p.Rejected(); err != nil || len(rs) != 0 {
			t.Errorf("%s rejected %+v, %v", p.BaseURL(), rs, err)
		}
		reqs, err := p.Requests()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			if r.Status >= 400 {
				t.Errorf("%s: %s %s -> %d: %s", p.BaseURL(), r.Method, r.Path, r.Status, r.Response)
			}
		}
	}
}

// The actor and the note are served as ActivityPub JSON with security/v1 keys.
func TestActorDocument(t *testing.T) {
	p := Start(t)
	doc := getAP(t, p.ActorURL())
	var ctxs []any
	switch c := doc["@context"].(type) {
	case []any:
		ctxs = c
	default:
		ctxs = []any{c}
	}
	if !slices.Contains(ctxs, any("https://w3id.org/security/v1")) {
		t.Errorf("@context %v lacks https://w3id.org/security/v1", ctxs)
	}
	pk, _ := doc["publicKey"].(map[string]any)
	if pk == nil || pk["owner"] != p.ActorURL() ||
		!strings.HasPrefix(pk["publicKeyPem"].(string), "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("publicKey = %v", doc["publicKey"])
	}
	if doc["inbox"] != p.InboxURL() {
		t.Errorf("inbox = %v, want %s", doc["inbox"], p.InboxURL())
	}
	if ep, _ := doc["endpoints"].(map[string]any); ep == nil || ep["sharedInbox"] != p.SharedInboxURL() {
		t.Errorf("endpoints = %v", doc["endpoints"])
	}

	noteID, err := p.Post("<p>fetch me</p>", Public)
	if err != nil {
		t.Fatal(err)
	}
	note := getAP(t, noteID)
	if note["type"] != "Note" || note["content"] != "<p>fetch me</p>" || note["attributedTo"] != p.ActorURL() {
		t.Errorf("note = %v", note)
	}
	// Without an ActivityPub Accept header Fedify answers 406.
	resp, err := http.Get(noteID)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotAcceptable {
		t.Errorf("GET note without Accept = %d, want 406", resp.StatusCode)
	}
}

func getAP(t *testing.T, url string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", url, resp.StatusCode)
	}
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
