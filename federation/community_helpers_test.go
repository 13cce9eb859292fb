package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"github.com/commonsd/commonsd/internal/fixtures"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Helpers for the community_*_test.go files. Names start with cm to stay clear of
// the other federation tests in this package.

// cmFixtures is the Mastodon fixtures folder.
func cmFixtures(t *testing.T) string { return filepath.Join(fixtures.Dir(t), "mastodon") }

// cmFixture loads a Mastodon fixture as a JSON map.
func cmFixture(t *testing.T, rel string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(cmFixtures(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return m
}

// cmPost is one POST a fake server received.
type cmPost struct {
	Path string
	Body map[string]any
}

// cmFake is a fake remote server on 127.0.0.1: it serves actor and object
// documents and records every POST (deliveries to its inboxes).
type cmFake struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex
	doc map[string][]byte
	got []cmPost
}

// cmActor is one actor of a fake server, with its own RSA key.
type cmActor struct {
	fake  *cmFake
	URI   string
	KeyID string
	Key   *rsa.PrivateKey
}

func newCMFake(t *testing.T) *cmFake {
	f := &cmFake{t: t, doc: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *cmFake) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		f.mu.Lock()
		f.got = append(f.got, cmPost{Path: r.URL.Path, Body: m})
		f.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	f.mu.Lock()
	b, ok := f.doc[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write(b)
}

// put serves v (marshalled) at the path of uri.
func (f *cmFake) put(uri string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	f.doc[strings.TrimPrefix(uri, f.srv.URL)] = b
	f.mu.Unlock()
}

// posts returns what was POSTed so far.
func (f *cmFake) posts() []cmPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]cmPost(nil), f.got...)
}

// waitPost waits for a POST whose body matches pred.
func (f *cmFake) waitPost(t *testing.T, what string, pred func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		for _, p := range f.posts() {
			if pred(p.Body) {
				return p.Body
			}
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, p := range f.posts() {
				seen = append(seen, fmt.Sprintf("%s %v obj=%v", p.Path, p.Body["type"], cmID(p.Body["object"])))
			}
			t.Fatalf("fake server: no %s within 20s; received %q", what, seen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// hasPost reports whether some POST matched pred.
func (f *cmFake) hasPost(pred func(map[string]any) bool) bool {
	for _, p := range f.posts() {
		if pred(p.Body) {
			return true
		}
	}
	return false
}

// mastodon adds a Person built from Mastodon's person fixture, its ids rewritten
// to this server and its key replaced by a fresh one.
func (f *cmFake) mastodon(t *testing.T, name string) *cmActor {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(cmFixtures(t), "objects", "person.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(
		"https://masto.qa.urbanwildlife.biz/users/mastodon", f.srv.URL+"/users/"+name,
		"https://masto.qa.urbanwildlife.biz/@mastodon", f.srv.URL+"/@"+name,
		"https://masto.qa.urbanwildlife.biz", f.srv.URL,
	).Replace(string(b))
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	doc["preferredUsername"] = name
	doc["name"] = strings.ToUpper(name[:1]) + name[1:]
	delete(doc, "icon") // not served here
	return f.addActor(t, doc)
}

// group adds a remote Group actor (a community on another server).
func (f *cmFake) group(t *testing.T, name string) *cmActor {
	t.Helper()
	uri := f.srv.URL + "/c/" + name
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                uri,
		"type":              "Group",
		"preferredUsername": name,
		"name":              name,
		"inbox":             uri + "/inbox",
		"outbox":            uri + "/outbox",
		"followers":         uri + "/followers",
		"publicKey":         map[string]any{"id": uri + "#main-key", "owner": uri},
	}
	return f.addActor(t, doc)
}

func (f *cmFake) addActor(t *testing.T, doc map[string]any) *cmActor {
	t.Helper()
	key, err := signing.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := signing.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pk := doc["publicKey"].(map[string]any)
	pk["publicKeyPem"] = string(pem)
	a := &cmActor{fake: f, URI: doc["id"].(string), KeyID: pk["id"].(string), Key: key}
	f.put(a.URI, doc)
	return a
}

// id mints an activity or object id under the actor.
func (a *cmActor) id(kind string) string {
	return fmt.Sprintf("%s/%s/%d", a.URI, kind, time.Now().UnixNano())
}

// post POSTs act to inbox signed as a (draft-cavage, as Mastodon signs), returning
// the status and body of the answer.
func (a *cmActor) post(t *testing.T, inbox string, act map[string]any) (int, string) {
	t.Helper()
	return cmSignedPost(t, inbox, act, a.KeyID, a.Key)
}

func cmSignedPost(t *testing.T, inbox string, act map[string]any, keyID string, key *rsa.PrivateKey) (int, string) {
	t.Helper()
	body, err := json.Marshal(act)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Accept", "application/activity+json")
	if err := signing.SignRequest(req, keyID, key, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// cmID is the id of an IRI or embedded object in a parsed JSON value.
func cmID(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		s, _ := x["id"].(string)
		return s
	}
	return ""
}

// cmIs matches a delivered activity by type, actor and object id ("" = any).
func cmIs(typ, actor, object string) func(map[string]any) bool {
	return func(m map[string]any) bool {
		return m["type"] == typ && (actor == "" || m["actor"] == actor) && (object == "" || cmID(m["object"]) == object)
	}
}

// cmOutcome waits until the inbound activity uri has been processed and returns it.
func cmOutcome(t *testing.T, inst *apptest.Instance, uri string) *models.Activity {
	t.Helper()
	var row *models.Activity
	eventually(t, "processing of "+uri, func() bool {
		var err error
		row, err = inst.App.Store.ActivityByURI(context.Background(), uri)
		return err == nil && row.State != models.ActivityPending
	})
	return row
}

// cmCommunity creates a community founded by a new local user and returns the
// Group and its founder (a steward).
func cmCommunity(t *testing.T, inst *apptest.Instance, founder, handle string, in service.CommunityInput) (*models.Actor, *models.Actor) {
	t.Helper()
	ctx := context.Background()
	newUser(t, inst, founder)
	u, err := inst.App.Svc.Accounts.ByUsername(ctx, founder)
	if err != nil {
		t.Fatal(err)
	}
	in.Handle = handle
	if in.Licence == "" {
		in.Licence = "CC-BY-SA-4.0"
	}
	if in.PostingPolicy == "" { // these tests post as non-members; new communities default to members only
		in.PostingPolicy = models.PolicyOpen
	}
	group, _, err := inst.App.Svc.Communities.Create(ctx, u, in)
	if err != nil {
		t.Fatal(err)
	}
	return group, actorOf(t, inst, founder)
}

// cmState is everything about a community that a refused action must leave as
// it was: memberships and roles, contributions and their states, ledger, posts,
// follows, boosts and role log.
func cmState(t *testing.T, inst *apptest.Instance, group *models.Actor) string {
	t.Helper()
	db := inst.App.Store.DB
	var lines []string
	var ms []models.Membership
	db.Where("community_id = ?", group.ID).Find(&ms)
	for _, m := range ms {
		lines = append(lines, "membership "+m.ActorID+" "+m.Role+" "+m.State)
	}
	var cs []models.Contribution
	db.Where("community_id = ?", group.ID).Find(&cs)
	for _, c := range cs {
		lines = append(lines, "contribution "+c.URI+" "+c.State+" "+c.Reason)
	}
	count := func(what string, model any, where string, args ...any) {
		var n int64
		if err := db.Model(model).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %d", what, n))
	}
	count("ledger", &models.LedgerEntry{}, "community_id = ?", group.ID)
	count("roles", &models.RoleChange{}, "community_id = ?", group.ID)
	count("notes", &models.Note{}, "1 = 1")
	count("deleted", &models.Note{}, "deleted_at IS NOT NULL")
	count("locked", &models.Note{}, "locked = ?", true)
	count("follows", &models.Follow{}, "1 = 1")
	count("announces", &models.Announce{}, "1 = 1")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// cmStatus is the HTTP status an error from the service layer maps to.
func cmStatus(err error) int {
	if err == nil {
		return 0
	}
	return errs.Status(err)
}

// cmGetJSON GETs an ActivityPub document from an instance.
func cmGetJSON(t *testing.T, inst *apptest.Instance, uri string) map[string]any {
	t.Helper()
	resp, b := get(t, inst.Client, uri, "application/activity+json")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", uri, resp.StatusCode, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("GET %s: %v", uri, err)
	}
	return m
}

// cmFollowGroup has a fake actor follow a local Group over the inbox and waits for
// the follow to be accepted.
func cmFollowGroup(t *testing.T, inst *apptest.Instance, a *cmActor, group *models.Actor) string {
	t.Helper()
	follow := cmFixture(t, "activities/follow.json")
	follow["id"], follow["actor"], follow["object"] = a.id("follows"), a.URI, group.URI
	if st, body := a.post(t, group.InboxURI, follow); st != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", st, body)
	}
	a.fake.waitPost(t, "Accept of the Follow", cmIs("Accept", group.URI, follow["id"].(string)))
	return follow["id"].(string)
}

// cmJoin has a fake actor join a local Group over the inbox and returns the Join id.
func cmJoin(t *testing.T, a *cmActor, group *models.Actor) string {
	t.Helper()
	join := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": a.id("joins"),
		"type": "Join", "actor": a.URI, "object": group.URI}
	if st, body := a.post(t, group.InboxURI, join); st != http.StatusAccepted {
		t.Fatalf("Join: %d %s", st, body)
	}
	return join["id"].(string)
}

// cmNote builds a Mastodon-shaped Create(Note) by a fake actor mentioning the
// Group (to Public, cc followers and the Group, a Mention tag, an @-mention in the
// content), from the create_note fixture.
func cmNote(t *testing.T, inst *apptest.Instance, a *cmActor, group *models.Actor, text, inReplyTo string) (create map[string]any, noteID string) {
	t.Helper()
	create = cmFixture(t, "activities/create_note.json")
	note := create["object"].(map[string]any)
	noteID = a.id("statuses")
	to, cc := []any{"https://www.w3.org/ns/activitystreams#Public"}, []any{a.URI + "/followers", group.URI}
	create["id"], create["actor"], create["to"], create["cc"] = noteID+"/activity", a.URI, to, cc
	create["published"] = time.Now().UTC().Format(time.RFC3339)
	note["id"], note["url"], note["atomUri"], note["attributedTo"] = noteID, noteID, noteID, a.URI
	note["to"], note["cc"], note["published"] = to, cc, create["published"]
	if inReplyTo != "" {
		note["inReplyTo"], note["inReplyToAtomUri"] = inReplyTo, inReplyTo
	} else {
		delete(note, "inReplyTo")
		delete(note, "inReplyToAtomUri")
	}
	mention := fmt.Sprintf(`<span class="h-card"><a href="%s" class="u-url mention">@<span>%s</span></a></span>`, group.URL, group.Username)
	first, rest, _ := strings.Cut(text, "\n")
	html := "<p>" + mention + " " + first + "</p>"
	if rest != "" {
		html += "<p>" + rest + "</p>"
	}
	note["content"] = html
	note["contentMap"] = map[string]any{"en": html}
	note["tag"] = []any{map[string]any{"type": "Mention", "href": group.URI, "name": "@" + group.Username + "@" + inst.Host}}
	note["replies"].(map[string]any)["id"] = noteID + "/replies"
	delete(note["replies"].(map[string]any), "first")
	served := map[string]any{"@context": create["@context"]}
	for k, v := range note {
		served[k] = v
	}
	a.fake.put(noteID, served)
	return create, noteID
}

// docPEM is the publicKeyPem of the actor document served at uri.
func (f *cmFake) docPEM(t *testing.T, uri string) string {
	t.Helper()
	f.mu.Lock()
	b := f.doc[strings.TrimPrefix(uri, f.srv.URL)]
	f.mu.Unlock()
	var m struct {
		PublicKey struct {
			PEM string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(b, &m); err != nil || m.PublicKey.PEM == "" {
		t.Fatalf("no key served at %s: %v", uri, err)
	}
	return m.PublicKey.PEM
}
