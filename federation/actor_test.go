package federation_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestActorDocumentAsMastodonReadsIt fetches a local actor the way Mastodon does and
// checks every key Mastodon's person fixture carries that we support.
func TestActorDocumentAsMastodonReadsIt(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	act := actorOf(t, inst, "ada")
	yes := true
	if err := inst.App.Svc.Actors.UpdateProfile(ctx, act, service.Profile{DisplayName: "Ada L.", Bio: "Engines <b>&</b> notes",
		Fields: []models.Field{{Name: "Code", Value: "https://example.org/ada"}}, ManuallyApprovesFollowers: &yes}); err != nil {
		t.Fatal(err)
	}
	for _, accept := range []string{
		"application/activity+json",
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
		"application/activity+json, application/ld+json",
	} {
		t.Run(accept, func(t *testing.T) {
			resp, body := get(t, inst.Client, inst.ActorURL("ada"), accept)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") {
				t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if strings.Contains(string(body), `"http://joinmastodon.org/ns"`) {
				t.Fatal("bare joinmastodon context URL emitted")
			}
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			ctxList, _ := doc["@context"].([]any)
			if len(ctxList) < 3 || ctxList[0] != "https://www.w3.org/ns/activitystreams" || ctxList[1] != "https://w3id.org/security/v1" {
				t.Fatalf("@context %v", doc["@context"])
			}
			terms, _ := ctxList[len(ctxList)-1].(map[string]any)
			for _, term := range []string{"manuallyApprovesFollowers", "toot", "discoverable", "featured", "PropertyValue", "value", "schema"} {
				if terms[term] == nil {
					t.Errorf("@context lacks inline term %s", term)
				}
			}
			want := map[string]any{
				"id": inst.ActorURL("ada"), "type": "Person", "preferredUsername": "ada", "name": "Ada L.",
				"inbox": inst.ActorURL("ada") + "/inbox", "outbox": inst.ActorURL("ada") + "/outbox",
				"followers": inst.ActorURL("ada") + "/followers", "following": inst.ActorURL("ada") + "/following",
				"featured": inst.ActorURL("ada") + "/collections/featured", "url": inst.URL + "/@ada",
				"manuallyApprovesFollowers": true, "discoverable": true,
			}
			for k, v := range want {
				if doc[k] != v {
					t.Errorf("%s = %v, want %v", k, doc[k], v)
				}
			}
			if s, _ := doc["summary"].(string); !strings.Contains(s, "&lt;b&gt;") || strings.Contains(s, "<b>") {
				t.Errorf("summary not sanitised: %q", s)
			}
			if ep, _ := doc["endpoints"].(map[string]any); ep["sharedInbox"] != inst.URL+"/inbox" {
				t.Errorf("endpoints %v", doc["endpoints"])
			}
			if doc["published"] == nil {
				t.Error("no published")
			}
			pk, _ := doc["publicKey"].(map[string]any)
			if pk["id"] != inst.ActorURL("ada")+"#main-key" || pk["owner"] != inst.ActorURL("ada") {
				t.Fatalf("publicKey %v", pk)
			}
			block, _ := pem.Decode([]byte(pk["publicKeyPem"].(string)))
			if block == nil {
				t.Fatal("publicKeyPem is not PEM")
			}
			if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
				t.Fatal(err)
			}
			att, _ := doc["attachment"].([]any)
			if len(att) != 1 {
				t.Fatalf("attachment %v", doc["attachment"])
			}
			f := att[0].(map[string]any)
			if f["type"] != "PropertyValue" || f["name"] != "Code" || !strings.Contains(f["value"].(string), "example.org/ada") {
				t.Fatalf("field %v", f)
			}
			if strings.Contains(string(body), "PRIVATE") {
				t.Fatal("private key leaked")
			}
		})
	}
	t.Run("browser gets HTML", func(t *testing.T) {
		resp, body := get(t, inst.Client, inst.ActorURL("ada"), "text/html,application/xhtml+xml")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && !strings.Contains(string(body), "ada") {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("instance actor", func(t *testing.T) {
		resp, body := get(t, inst.Client, inst.URL+"/actor", "application/activity+json")
		var doc map[string]any
		json.Unmarshal(body, &doc)
		if resp.StatusCode != 200 || doc["type"] != "Application" || doc["publicKey"] == nil {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("unknown actor", func(t *testing.T) {
		resp, _ := get(t, inst.Client, inst.ActorURL("nobody"), "application/activity+json")
		if resp.StatusCode != 404 {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
}

func TestCollections(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ctx := context.Background()
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")
	if _, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle("ada")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "follow accepted", func() bool { n, _ := a.App.Store.CountFollowers(ctx, ada.ID); return n == 1 })
	for i := 0; i < 3; i++ {
		if _, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "post"}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		url   string
		total float64
		item  string
	}{
		{a.ActorURL("ada") + "/followers", 1, b.ActorURL("bob")},
		{a.ActorURL("ada") + "/following", 0, ""},
		{a.ActorURL("ada") + "/outbox", 3, ""},
		{a.ActorURL("ada") + "/collections/featured", 0, ""},
	}
	for _, c := range cases {
		_, body := get(t, a.Client, c.url, "application/activity+json")
		var coll map[string]any
		json.Unmarshal(body, &coll)
		if coll["type"] != "OrderedCollection" || coll["totalItems"] != c.total {
			t.Fatalf("%s: %s", c.url, body)
		}
		first, _ := coll["first"].(string)
		if first == "" {
			continue
		}
		_, body = get(t, a.Client, first, "application/activity+json")
		var page map[string]any
		json.Unmarshal(body, &page)
		items, _ := page["orderedItems"].([]any)
		if page["type"] != "OrderedCollectionPage" || len(items) != int(c.total) {
			t.Fatalf("%s page: %s", c.url, body)
		}
		if c.item != "" && items[0] != c.item {
			t.Fatalf("item %v", items[0])
		}
	}
	// Hidden followers: the count stays, the list goes.
	yes := true
	a.App.Svc.Actors.UpdateProfile(ctx, ada, service.Profile{DisplayName: ada.Name, HideFollowers: &yes})
	_, body := get(t, a.Client, a.ActorURL("ada")+"/followers?page=1", "application/activity+json")
	if strings.Contains(string(body), "orderedItems") || !strings.Contains(string(body), `"totalItems":1`) {
		t.Fatalf("hidden followers: %s", body)
	}
	// A note is served at its id; a deleted one is a Tombstone with 410.
	n, _ := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "bye"})
	resp, body := get(t, a.Client, n.URI, "application/activity+json")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"type":"Note"`) {
		t.Fatalf("note: %d %s", resp.StatusCode, body)
	}
	a.App.Svc.Social.DeleteNote(ctx, ada, n.ID)
	resp, body = get(t, a.Client, n.URI, "application/activity+json")
	if resp.StatusCode != 410 || !strings.Contains(string(body), "Tombstone") {
		t.Fatalf("deleted note: %d %s", resp.StatusCode, body)
	}
}
