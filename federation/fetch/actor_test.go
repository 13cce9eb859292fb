package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func TestActorCache(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	id := p.URL + "/users/ada"
	p.json("/users/ada", actorJSON(t, id, "ada", newPEM(t)))

	a, err := e.f.Actor(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if a.Domain != p.host() || a.Username != "ada" || a.InboxURI != id+"/inbox" || a.FetchedAt == nil {
		t.Errorf("actor = %+v", a)
	}
	b, err := e.f.Actor(ctx, id, false)
	if err != nil || b.ID != a.ID || p.count("/users/ada") != 1 {
		t.Errorf("second call: %v, hits %d", err, p.count("/users/ada"))
	}
	c, err := e.f.Actor(ctx, id, true)
	if err != nil || c.ID != a.ID || p.count("/users/ada") != 2 {
		t.Errorf("refresh: %v, id %s/%s, hits %d", err, c.ID, a.ID, p.count("/users/ada"))
	}
	// Stale after the TTL: refetched, same row.
	e.f.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	d, err := e.f.Actor(ctx, id, false)
	if err != nil || d.ID != a.ID || p.count("/users/ada") != 3 {
		t.Errorf("stale: %v, hits %d", err, p.count("/users/ada"))
	}
	// Stale and the server is down: the cached row stands in.
	e.f.Now = func() time.Time { return time.Now().Add(50 * time.Hour) }
	p.handle("/users/ada", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	if s, err := e.f.Actor(ctx, id, false); err != nil || s.ID != a.ID {
		t.Errorf("stale on 503: %v", err)
	}
	if _, err := e.f.Actor(ctx, id, true); err == nil {
		t.Error("explicit refresh on 503 succeeded")
	}
	p.handle("/users/ada", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(410) })
	if _, err := e.f.Actor(ctx, id, false); !errors.Is(err, ErrGone) {
		t.Errorf("410: %v", err)
	}
}

func TestActorSingleflight(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	id := p.URL + "/users/bob"
	doc := actorJSON(t, id, "bob", newPEM(t))
	p.handle("/users/bob", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(doc))
	})
	var wg sync.WaitGroup
	ids := make([]string, 10)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := e.f.Actor(context.Background(), id, false)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = a.ID
		}()
	}
	wg.Wait()
	if n := p.count("/users/bob"); n != 1 {
		t.Errorf("%d requests for one URI", n)
	}
	for _, x := range ids {
		if x != ids[0] {
			t.Errorf("different rows: %v", ids)
		}
	}
}

func TestActorValidation(t *testing.T) {
	e := newEnv(t)
	p, q := newPeer(t), newPeer(t)
	ctx := context.Background()
	pem := newPEM(t)
	mod := func(path string, edit func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(actorJSON(t, p.URL+path, "x", pem)), &m)
		edit(m)
		b, _ := json.Marshal(m)
		p.json(path, string(b))
		return p.URL + path
	}
	tests := []struct {
		uri  string
		want error
	}{
		{mod("/note", func(m map[string]any) { m["type"] = "Note" }), ErrNotActor},
		{mod("/noinbox", func(m map[string]any) { delete(m, "inbox") }), ErrInvalidActor},
		{mod("/nokey", func(m map[string]any) { delete(m, "publicKey") }), ErrInvalidActor},
		{mod("/owner", func(m map[string]any) {
			m["publicKey"].(map[string]any)["owner"] = p.URL + "/someone-else"
		}), ErrInvalidActor},
		{mod("/keyhost", func(m map[string]any) {
			m["publicKey"].(map[string]any)["id"] = q.URL + "/key"
		}), ErrInvalidActor},
		{mod("/badpem", func(m map[string]any) { m["publicKey"].(map[string]any)["publicKeyPem"] = "nope" }), ErrInvalidActor},
		{mod("/otherhost", func(m map[string]any) { m["id"] = q.URL + "/users/x" }), ErrOrigin},
	}
	for _, tt := range tests {
		if _, err := e.f.Actor(ctx, tt.uri, false); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.uri, err, tt.want)
		}
	}
}

// TestActorUsernameCollision: the server gives a handle to a new URI.
func TestActorUsernameCollision(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	p.json("/users/old", actorJSON(t, p.URL+"/users/old", "sam", newPEM(t)))
	p.json("/users/new", actorJSON(t, p.URL+"/users/new", "Sam", newPEM(t)))
	old, err := e.f.Actor(ctx, p.URL+"/users/old", false)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := e.f.Actor(ctx, p.URL+"/users/new", false)
	if err != nil {
		t.Fatal(err)
	}
	byHandle, err := e.st.ActorByHandle(ctx, "sam", p.host())
	if err != nil || byHandle.ID != nw.ID {
		t.Errorf("handle holder: %v %v", byHandle, err)
	}
	o, _ := e.st.ActorByID(ctx, old.ID)
	if o.Username != "sam~"+old.ID || o.FetchedAt != nil {
		t.Errorf("old row: %q %v", o.Username, o.FetchedAt)
	}
}

func TestLocalActorNotFetched(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inst := instanceActor(t, e)
	a, err := e.f.Actor(ctx, inst.URI, true)
	if err != nil || a.ID != inst.ID {
		t.Errorf("local actor: %v %v", a, err)
	}
	if _, err := e.f.Actor(ctx, "http://local.test/users/nobody", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown local: %v", err)
	}
	k, err := e.f.FetchKey(ctx, inst.PublicKeyID, true)
	if err != nil || k.Owner != inst.URI {
		t.Errorf("local key: %v %v", k, err)
	}
}

func TestFetchKey(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	id := p.URL + "/users/kim"
	pem1, pem2 := newPEM(t), newPEM(t)
	p.json("/users/kim", actorJSON(t, id, "kim", pem1))

	k, err := e.f.FetchKey(ctx, id+"#main-key", false)
	if err != nil || k.Owner != id || k.ID != id+"#main-key" {
		t.Fatalf("FetchKey: %+v %v", k, err)
	}
	// Cached: no request.
	if _, err := e.f.FetchKey(ctx, id+"#main-key", false); err != nil || p.count("/users/kim") != 1 {
		t.Errorf("cached: %v, hits %d", err, p.count("/users/kim"))
	}
	// keyId as the actor URL (some servers).
	if k2, err := e.f.FetchKey(ctx, id, false); err != nil || k2.Owner != id || p.count("/users/kim") != 1 {
		t.Errorf("actor-URL keyId: %v %v", k2, err)
	}
	// Rotation: refresh=true refetches and returns the new key.
	p.json("/users/kim", actorJSON(t, id, "kim", pem2))
	k3, err := e.f.FetchKey(ctx, id+"#main-key", true)
	if err != nil || k3.Public.Equal(k.Public) || p.count("/users/kim") != 2 {
		t.Errorf("rotation: %v, changed %v, hits %d", err, err == nil && !k3.Public.Equal(k.Public), p.count("/users/kim"))
	}
	// A second refresh within the interval is served from the cache.
	if _, err := e.f.FetchKey(ctx, id+"#main-key", true); err != nil || p.count("/users/kim") != 2 {
		t.Errorf("rate limit: %v, hits %d", err, p.count("/users/kim"))
	}
	e.f.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	if _, err := e.f.FetchKey(ctx, id+"#main-key", true); err != nil || p.count("/users/kim") != 3 {
		t.Errorf("after the interval: %v, hits %d", err, p.count("/users/kim"))
	}
	// A key the actor does not publish.
	if _, err := e.f.FetchKey(ctx, id+"#other-key", false); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("unpublished key: %v", err)
	}
	row, _ := e.st.ActorByURI(ctx, id)
	if row.PublicKeyPEM != pem2 {
		t.Error("stored key not rotated")
	}
}

// TestFetchKeyDocument: keyId names a stand-alone key document.
func TestFetchKeyDocument(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	id := p.URL + "/users/lee"
	keyID := id + "/main-key"
	pem := newPEM(t)
	doc := strings.Replace(actorJSON(t, id, "lee", pem), `"`+id+`#main-key"`, `"`+keyID+`"`, 1)
	p.json("/users/lee", doc)
	pemJSON, _ := json.Marshal(pem)
	p.json("/users/lee/main-key", `{"@context":"https://w3id.org/security/v1","id":"`+keyID+`","owner":"`+id+`","publicKeyPem":`+string(pemJSON)+`}`)
	p.json("/users/lee/stolen-key", `{"id":"`+p.URL+`/users/lee/stolen-key","owner":"`+id+`","publicKeyPem":`+string(pemJSON)+`}`)
	k, err := e.f.FetchKey(ctx, keyID, false)
	if err != nil || k.Owner != id || k.ID != keyID {
		t.Fatalf("key document: %+v %v", k, err)
	}
	if _, err := e.f.FetchKey(ctx, p.URL+"/users/lee/stolen-key", false); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("key the owner does not publish: %v", err)
	}
}

func TestFixtureActors(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	masto := strings.ReplaceAll(fixture(t, "mastodon/objects/person.json"), "https://masto.qa.urbanwildlife.biz", p.URL)
	// The fixture has no profile fields: add two.
	masto = strings.Replace(masto, `"attachment": []`, `"attachment": [{"type":"PropertyValue","name":"Web","value":"<a href=\"https://example.org\" onclick=\"x()\">example.org</a>"},{"type":"PropertyValue","name":"Pronouns","value":"they/them"}]`, 1)
	p.json("/users/mastodon", masto)
	lemmy := strings.ReplaceAll(fixture(t, "lemmy/objects/group.json"), "https://enterprise.lemmy.ml", p.URL)
	p.json("/c/tenforward", lemmy)

	m, err := e.f.Actor(ctx, p.URL+"/users/mastodon", false)
	if err != nil {
		t.Fatal(err)
	}
	want := models.Actor{Type: "Person", Username: "mastodon", Domain: p.host(), URI: p.URL + "/users/mastodon",
		URL: p.URL + "/@mastodon", Name: "Mastodon", InboxURI: p.URL + "/users/mastodon/inbox",
		OutboxURI: p.URL + "/users/mastodon/outbox", FollowersURI: p.URL + "/users/mastodon/followers",
		FollowingURI: p.URL + "/users/mastodon/following", FeaturedURI: p.URL + "/users/mastodon/collections/featured",
		SharedInbox: p.URL + "/inbox", PublicKeyID: p.URL + "/users/mastodon#main-key",
		IconURL: p.URL + "/system/accounts/avatars/109/105/103/301/739/269/original/2cf61ff96e94cb1d.png"}
	check(t, m, want)
	if !strings.HasPrefix(m.PublicKeyPEM, "-----BEGIN PUBLIC KEY-----") || m.Discoverable || m.ManuallyApprovesFollowers || m.Bot {
		t.Errorf("mastodon key/flags: %+v", m)
	}
	var fields []models.Field
	if err := json.Unmarshal([]byte(m.Fields), &fields); err != nil || len(fields) != 2 || fields[0].Name != "Web" ||
		strings.Contains(fields[0].Value, "onclick") || !strings.Contains(fields[0].Value, "example.org") || fields[1].Value != "they/them" {
		t.Errorf("fields = %s", m.Fields)
	}

	g, err := e.f.Actor(ctx, p.URL+"/c/tenforward", false)
	if err != nil {
		t.Fatal(err)
	}
	check(t, g, models.Actor{Type: "Group", Username: "tenforward", Domain: p.host(), URI: p.URL + "/c/tenforward",
		URL: p.URL + "/c/tenforward", Name: "Ten Forward", InboxURI: p.URL + "/c/tenforward/inbox",
		OutboxURI: p.URL + "/c/tenforward/outbox", FollowersURI: p.URL + "/c/tenforward/followers",
		FeaturedURI: p.URL + "/c/tenforward//featured", SharedInbox: p.URL + "/inbox",
		PublicKeyID: p.URL + "/c/tenforward#main-key", IconURL: p.URL + "/pictrs/image/waqyZwLAy4.webp",
		ImageURL: p.URL + "/pictrs/image/Wt8zoMcCmE.jpg"})
	if !strings.Contains(g.Summary, "Lounge and recreation facility") || !strings.Contains(g.SummarySource, "Welcome to the Enterprise") {
		t.Errorf("lemmy summary %q / %q", g.Summary, g.SummarySource)
	}
	// Keys of both resolve through FetchKey from the cache.
	for _, a := range []*models.Actor{m, g} {
		if k, err := e.f.FetchKey(ctx, a.PublicKeyID, false); err != nil || k.Owner != a.URI {
			t.Errorf("FetchKey %s: %v", a.PublicKeyID, err)
		}
	}
}

func check(t *testing.T, got *models.Actor, want models.Actor) {
	t.Helper()
	g := map[string]string{"Type": got.Type, "Username": got.Username, "Domain": got.Domain, "URI": got.URI, "URL": got.URL,
		"Name": got.Name, "Inbox": got.InboxURI, "Outbox": got.OutboxURI, "Followers": got.FollowersURI,
		"Following": got.FollowingURI, "Featured": got.FeaturedURI, "SharedInbox": got.SharedInbox,
		"KeyID": got.PublicKeyID, "Icon": got.IconURL, "Image": got.ImageURL}
	w := map[string]string{"Type": want.Type, "Username": want.Username, "Domain": want.Domain, "URI": want.URI, "URL": want.URL,
		"Name": want.Name, "Inbox": want.InboxURI, "Outbox": want.OutboxURI, "Followers": want.FollowersURI,
		"Following": want.FollowingURI, "Featured": want.FeaturedURI, "SharedInbox": want.SharedInbox,
		"KeyID": want.PublicKeyID, "Icon": want.IconURL, "Image": want.ImageURL}
	for k := range w {
		if g[k] != w[k] {
			t.Errorf("%s: %s = %q, want %q", got.URI, k, g[k], w[k])
		}
	}
}

// TestFetchKeyActorStub: GoToSocial serves at its keyId (…/main-key, no
// fragment) a minimal actor whose id is the actor's URL and which has no
// inbox; the key is accepted when the actor's own document publishes the
// same key id and the same public key.
func TestFetchKeyActorStub(t *testing.T) {
	ctx := context.Background()
	stub := func(id, keyID, owner, pem string) string {
		b, _ := json.Marshal(map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       id, "type": "Person", "preferredUsername": "gts",
			"publicKey": map[string]any{"id": keyID, "owner": owner, "publicKeyPem": pem},
		})
		return string(b)
	}
	for _, tc := range []struct {
		name    string
		serve   func(p *peer, id, keyID, pem, other string)
		wantErr error
	}{
		{"stub of the actor", func(p *peer, id, keyID, pem, _ string) {
			p.json("/users/gts/main-key", stub(id, keyID, id, pem))
		}, nil},
		{"key document with owner", func(p *peer, id, keyID, pem, _ string) {
			b, _ := json.Marshal(map[string]any{"id": keyID, "owner": id, "publicKeyPem": pem})
			p.json("/users/gts/main-key", string(b))
		}, nil},
		{"stub with another PEM than the actor's", func(p *peer, id, keyID, _, other string) {
			p.json("/users/gts/main-key", stub(id, keyID, id, other))
		}, ErrKeyNotFound},
		{"key document with another PEM", func(p *peer, id, keyID, _, other string) {
			b, _ := json.Marshal(map[string]any{"id": keyID, "owner": id, "publicKeyPem": other})
			p.json("/users/gts/main-key", string(b))
		}, ErrKeyNotFound},
		{"stub naming a key of another actor", func(p *peer, id, keyID, pem, _ string) {
			p.json("/users/gts/main-key", stub(id, keyID, p.URL+"/users/other", pem))
		}, ErrInvalidActor},
		{"stub for another key id", func(p *peer, id, _, pem, _ string) {
			p.json("/users/gts/main-key", stub(id, id+"/other-key", id, pem))
		}, ErrOrigin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p := newPeer(t)
			id := p.URL + "/users/gts"
			keyID := id + "/main-key"
			pem, other := newPEM(t), newPEM(t)
			p.json("/users/gts", strings.Replace(actorJSON(t, id, "gts", pem), `"`+id+`#main-key"`, `"`+keyID+`"`, 1))
			tc.serve(p, id, keyID, pem, other)
			k, err := e.f.FetchKey(ctx, keyID, false)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || k.Owner != id || k.ID != keyID {
				t.Fatalf("FetchKey: %+v %v", k, err)
			}
			row, err := e.st.ActorByURI(ctx, id)
			if err != nil || row.InboxURI != id+"/inbox" || row.PublicKeyID != keyID {
				t.Fatalf("stored owner: %+v %v", row, err)
			}
		})
	}
}

// TestMastodonProfileFields: profile fields as Mastodon emits them
// (PropertyValue, the value HTML with invisible/ellipsis spans and rel="me")
// are stored as sanitised HTML: the link and its spans stay, anything
// active goes.
func TestMastodonProfileFields(t *testing.T) {
	mastoLink := `<a href="https://example.org/a-rather-long-path/that-goes-on" target="_blank" rel="nofollow noopener noreferrer me" translate="no"><span class="invisible">https://</span><span class="ellipsis">example.org/a-rather-long-pat</span><span class="invisible">h/that-goes-on</span></a>`
	for _, tc := range []struct {
		name, value   string
		want, wantNot []string
	}{
		{"Mastodon link", mastoLink,
			[]string{`href="https://example.org/a-rather-long-path/that-goes-on"`, `<span class="invisible">https://</span>`, `<span class="ellipsis">`, `rel="nofollow`},
			[]string{"translate=", "target="}},
		{"text", "they/them", []string{"they/them"}, nil},
		{"script", `<script>alert(1)</script>hi`, []string{"hi"}, []string{"<script", "alert"}},
		{"javascript link", `<a href="javascript:alert(1)" onclick="x()">x</a>`, []string{"x"}, []string{"javascript:", "onclick"}},
		{"ours", `<a href="https://x.example/ada" rel="me nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">x.example/ada</span><span class="invisible"></span></a>`,
			[]string{`href="https://x.example/ada"`, `<span class="invisible">https://</span>`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p := newPeer(t)
			masto := strings.ReplaceAll(fixture(t, "mastodon/objects/person.json"), "https://masto.qa.urbanwildlife.biz", p.URL)
			field, _ := json.Marshal(map[string]any{"type": "PropertyValue", "name": "Web <b>site</b>", "value": tc.value})
			masto = strings.Replace(masto, `"attachment": []`, `"attachment": [`+string(field)+`]`, 1)
			p.json("/users/mastodon", masto)
			a, err := e.f.Actor(context.Background(), p.URL+"/users/mastodon", false)
			if err != nil {
				t.Fatal(err)
			}
			fields := service.Fields(a)
			if len(fields) != 1 || fields[0].Name != "Web site" || fields[0].VerifiedAt != nil {
				t.Fatalf("fields %+v", fields)
			}
			for _, w := range tc.want {
				if !strings.Contains(fields[0].Value, w) {
					t.Errorf("value %q lacks %q", fields[0].Value, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(fields[0].Value, w) {
					t.Errorf("value %q has %q", fields[0].Value, w)
				}
			}
		})
	}
}

// TestPage: a web page is fetched (HTML only, bounded, under the policy).
func TestPage(t *testing.T) {
	e := newEnv(t)
	p := newPeer(t)
	ctx := context.Background()
	p.handle("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<a rel="me" href="http://local.test/@ada">me</a>`)
	})
	p.json("/doc", `{"id":"x"}`)
	p.handle("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, strings.Repeat("x", int(e.f.MaxBodySize)+1))
	})
	if b, err := e.f.Page(ctx, p.URL+"/page"); err != nil || !strings.Contains(string(b), `rel="me"`) {
		t.Fatalf("page: %q %v", b, err)
	}
	for _, tc := range []struct {
		url  string
		want error
	}{
		{p.URL + "/doc", ErrContentType},
		{p.URL + "/big", ErrTooLarge},
		{p.URL + "/missing", ErrNotFound},
		{"http://local.test/@ada", ErrLocal},
		{"ftp://example.org/x", ErrInvalidURL},
	} {
		if _, err := e.f.Page(ctx, tc.url); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.url, err, tc.want)
		}
	}
	if err := e.block(ctx, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Page(ctx, p.URL+"/page"); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("blocked: %v", err)
	}
}
