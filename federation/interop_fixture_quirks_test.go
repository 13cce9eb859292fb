package federation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/internal/fixtures"
	"github.com/commonsd/commonsd/models"
)

// TestPeerQuirksFromFixtures: the shapes real servers send that the rest of
// the suite does not pin down, each sent as the fixture has it (moved onto a
// loopback server by rewriteFixture, signed by its actor) and either accepted
// with the effect checked or refused with a specific reason; never a 5xx or a
// panic. Quirks without a fixture (Misskey, GoToSocial) are written by hand
// from those servers' documentation. Mastodon's Update{Question} with
// votersCount is remote_poll_test.go's.
func TestPeerQuirksFromFixtures(t *testing.T) {
	e := newInboxEnv(t)
	// send posts the rewritten doc to ada's inbox signed by its actor and waits
	// for its job; it returns the job's row (nil when refused at the door).
	send := func(t *testing.T, doc map[string]any, status int, reason string) *models.Activity {
		t.Helper()
		actor := idOf(doc["actor"])
		code, body := e.rem.postAs(t, e.ada+"/inbox", actor, mustJSON(t, doc))
		if code != status {
			t.Fatalf("status %d, want %d: %s", code, status, body)
		}
		if code != 202 {
			if !strings.Contains(body, reason) {
				t.Fatalf("refused with %q, want it to say %q", body, reason)
			}
			return nil
		}
		row := waitProcessed(t, e.inst, doc["id"].(string))
		if reason != "" && !strings.Contains(row.Error, reason) {
			t.Fatalf("%s %q, want it to say %q", row.State, row.Error, reason)
		}
		return row
	}
	fixture := func(t *testing.T, rel string) map[string]any {
		t.Helper()
		body, _ := rewriteFixture(fixtures.Read(t, rel), e.rem.URL(), e.ada)
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	// wrap is a Create of object by its author (PeerTube and Pleroma objects
	// stored without their activity).
	wrap := func(o map[string]any) map[string]any {
		author := idOf(o["attributedTo"])
		delete(o, "@context")
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": idOf(o["id"]) + "/create",
			"type": "Create", "actor": author, "object": o, "to": o["to"], "cc": o["cc"]}
	}
	stored := func(t *testing.T, doc map[string]any) *models.Note {
		t.Helper()
		return e.noteRow(idOf(doc["object"]))
	}

	t.Run("lotide and Pleroma: to and cc as single strings", func(t *testing.T) {
		doc := fixture(t, "lotide/activities/create_page.json")
		if _, ok := doc["to"].(string); !ok {
			t.Fatalf("the fixture's to is no longer a string: %v", doc["to"])
		}
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		n := stored(t, doc)
		if len(n.To) != 1 || len(n.CC) != 1 || n.CC[0] != asPublic || n.Visibility != models.VisibilityUnlisted || n.Name != "test post from b" {
			t.Fatalf("stored %+v", n)
		}
	})

	t.Run("Friendica: diaspora:guid, diaspora:comment, bbcode source", func(t *testing.T) {
		doc := fixture(t, "friendica/activities/create_note.json")
		o := doc["object"].(map[string]any)
		if o["diaspora:guid"] == nil || o["diaspora:comment"] == nil {
			t.Fatalf("the fixture changed: %v", o)
		}
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		n := stored(t, doc)
		if n.Sensitive || strings.Contains(n.Content, "[url=") || !strings.Contains(n.Content, "test") {
			t.Fatalf("stored sensitive=%v content %q: want the HTML content, not the bbcode source", n.Sensitive, n.Content)
		}
	})

	t.Run("Friendica: Update of a note (content and contentMap differ)", func(t *testing.T) {
		doc := fixture(t, "friendica/activities/update_note.json")
		o := doc["object"].(map[string]any)
		first := map[string]any{}
		for k, v := range o {
			first[k] = v
		}
		first["content"] = "<p>before the edit</p>"
		delete(first, "contentMap")
		delete(first, "updated")
		create := map[string]any{"@context": doc["@context"], "id": idOf(doc["id"]) + "/create", "type": "Create",
			"actor": doc["actor"], "object": first, "to": doc["to"], "cc": doc["cc"]}
		if row := send(t, create, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("create: %s: %s", row.State, row.Error)
		}
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("update: %s: %s", row.State, row.Error)
		}
		n := stored(t, doc)
		if n.EditedAt == nil || strings.Contains(n.Content, "before the edit") || !strings.Contains(n.Content, "test8") {
			t.Fatalf("after Friendica's Update: edited %v, content %q", n.EditedAt, n.Content)
		}
	})

	t.Run("PeerTube: Video attributed to [Person, Group], files as url Links", func(t *testing.T) {
		doc := wrap(fixture(t, "peertube/objects/video.json"))
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		n := stored(t, doc)
		author, err := e.inst.App.Store.ActorByID(t.Context(), n.AuthorID)
		if err != nil || !strings.HasSuffix(author.URI, "/accounts/thelinuxexperiment") {
			t.Fatalf("author %+v %v: want the Person, not the channel", author, err)
		}
		if n.Type != "Video" || len(n.Attachments) != 1 || n.Attachments[0].MediaType != "video/mp4" {
			t.Fatalf("stored %s with %+v", n.Type, n.Attachments)
		}
	})

	t.Run("Lemmy: Page with name and attributedTo as an array", func(t *testing.T) {
		doc := fixture(t, "lemmy/activities/create_or_update/create_page.json")
		o := doc["object"].(map[string]any)
		o["attributedTo"] = []any{o["attributedTo"]}
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		if n := stored(t, doc); n.Type != "Page" || n.Name == "" {
			t.Fatalf("stored %s named %q", n.Type, n.Name)
		}
	})

	t.Run("Lemmy: Page attributed to [someone else, the sender] is refused", func(t *testing.T) {
		doc := fixture(t, "lemmy/activities/create_or_update/create_page.json")
		doc["id"] = idOf(doc["id"]) + "-two"
		o := doc["object"].(map[string]any)
		o["id"] = idOf(o["id"]) + "-two"
		o["attributedTo"] = []any{e.y, o["attributedTo"]}
		send(t, doc, 403, "attributed to")
	})

	t.Run("Pleroma: ChatMessage is ignored by name", func(t *testing.T) {
		doc := wrap(fixture(t, "pleroma/objects/chat_message.json"))
		if row := send(t, doc, 202, "object type ChatMessage"); row.State != models.ActivityIgnored {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
	})

	t.Run("Friendica and Lemmy: Dislike is ignored by name", func(t *testing.T) {
		doc := fixture(t, "friendica/activities/dislike_page.json")
		doc["object"] = e.adaNote.URI
		if row := send(t, doc, 202, "activity type Dislike"); row.State != models.ActivityIgnored {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
	})

	t.Run("Misskey: _misskey_content, _misskey_quote, quoteUrl", func(t *testing.T) {
		id := e.id("notes")
		n := e.note(id, e.x, "")
		n["content"] = "<p>quoting ada</p>"
		n["_misskey_content"] = "quoting **ada** $[x2 big]"
		n["source"] = map[string]any{"content": "quoting **ada** $[x2 big]", "mediaType": "text/x.misskeymarkdown"}
		n["_misskey_quote"], n["quoteUrl"], n["quoteUri"] = e.adaNote.URI, e.adaNote.URI, e.adaNote.URI
		doc := e.act("Create", e.x, "object", n, "to", []string{asPublic})
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		if got := e.noteRow(id); got.Content != "<p>quoting ada</p>" {
			t.Fatalf("content %q: want the HTML content, not the MFM source", got.Content)
		}
	})

	t.Run("Misskey: _misskey_quote that is not an IRI", func(t *testing.T) {
		id := e.id("notes")
		n := e.note(id, e.x, "")
		n["_misskey_quote"] = map[string]any{"nested": []any{1, 2}}
		doc := e.act("Create", e.x, "object", n, "to", []string{asPublic})
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
	})

	t.Run("GoToSocial: interactionPolicy", func(t *testing.T) {
		id := e.id("notes")
		n := e.note(id, e.x, "")
		n["interactionPolicy"] = map[string]any{
			"canLike":     map[string]any{"always": []any{asPublic}, "approvalRequired": []any{}},
			"canReply":    map[string]any{"always": []any{e.x, e.x + "/followers"}, "approvalRequired": []any{asPublic}},
			"canAnnounce": map[string]any{"always": []any{e.x}, "approvalRequired": []any{}},
		}
		doc := e.act("Create", e.x, "object", n, "to", []string{asPublic})
		if row := send(t, doc, 202, ""); row.State != models.ActivityProcessed {
			t.Fatalf("%s: %s", row.State, row.Error)
		}
		e.noteRow(id)
	})
	healthy(t, e.inst)
}
