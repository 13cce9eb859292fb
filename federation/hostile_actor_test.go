package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// world dumps every row an inbound activity can change, except those owned by
// the actor whose URI is except: the rows of everybody else must be the same
// after any hostile activity, whatever it was answered.
func world(t testing.TB, inst *apptest.Instance, except string) string {
	t.Helper()
	db := inst.App.Store.DB
	var actors []models.Actor
	if err := db.Order("uri").Find(&actors).Error; err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{}
	var out []string
	for _, a := range actors {
		if a.URI == except {
			skip[a.ID] = true
			continue
		}
		out = append(out, fmt.Sprintf("actor %s name=%q summary=%q suspended=%v key=%d", a.URI, a.Name, a.Summary, a.Suspended, len(a.PublicKeyPEM)))
	}
	var notes []models.Note
	db.Order("uri").Find(&notes)
	skipNote := map[string]bool{}
	for _, n := range notes {
		if skip[n.AuthorID] {
			skipNote[n.ID] = true
		}
		if !skip[n.AuthorID] {
			out = append(out, fmt.Sprintf("note %s author=%s content=%q deleted=%v locked=%v vis=%s aud=%s", n.URI, n.AuthorID, n.Content, n.DeletedAt != nil, n.Locked, n.Visibility, n.AudienceURI))
		}
	}
	var follows []models.Follow
	db.Order("uri").Find(&follows)
	for _, f := range follows {
		if !skip[f.FollowerID] {
			out = append(out, fmt.Sprintf("follow %s %s->%s %s", f.URI, f.FollowerID, f.TargetID, f.State))
		}
	}
	var ms []models.Membership
	db.Order("id").Find(&ms)
	for _, m := range ms {
		if !skip[m.ActorID] {
			out = append(out, fmt.Sprintf("member %s %s %s %s", m.CommunityID, m.ActorID, m.Role, m.State))
		}
	}
	var likes []models.Like
	db.Order("uri").Find(&likes)
	for _, l := range likes {
		if !skip[l.ActorID] {
			out = append(out, "like "+l.URI+" "+l.ObjectURI)
		}
	}
	var anns []models.Announce
	db.Order("uri").Find(&anns)
	for _, a := range anns {
		if !skip[a.ActorID] {
			out = append(out, "announce "+a.URI+" "+a.ObjectURI)
		}
	}
	var blocks []models.Block
	db.Order("uri").Find(&blocks)
	for _, b := range blocks {
		if !skip[b.ActorID] {
			out = append(out, "block "+b.URI)
		}
	}
	var reports []models.Report
	db.Order("uri").Find(&reports)
	for _, r := range reports {
		if !skip[r.ReporterID] {
			out = append(out, "report "+r.URI)
		}
	}
	var tl []models.TimelineEntry
	db.Find(&tl)
	lines := make([]string, 0, len(tl))
	for _, e := range tl {
		if !skip[e.BoostedByID] && !skipNote[e.NoteID] {
			lines = append(lines, "timeline "+e.OwnerID+" "+e.NoteID+" "+e.BoostedByID)
		}
	}
	sort.Strings(lines)
	return strings.Join(append(out, lines...), "\n")
}

// waitProcessed waits until the inbound activity uri is no longer pending.
func waitProcessed(t *testing.T, inst *apptest.Instance, uri string) *models.Activity {
	t.Helper()
	var row *models.Activity
	eventually(t, "activity "+uri+" processed", func() bool {
		a, err := inst.App.Store.ActivityByURI(context.Background(), uri)
		if err != nil || a.State == models.ActivityPending {
			return false
		}
		row = a
		return true
	})
	return row
}

// TestInboxOneReadingOfTheActor sends differential payloads, correctly signed
// by a remote actor x: each is refused before it is stored, or is processed
// strictly as x. Nobody else's data changes (issue 7, section 1).
func TestInboxOneReadingOfTheActor(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "ada")
	newUser(t, inst, "bob")
	ada, bob := inst.ActorURL("ada"), inst.ActorURL("bob")
	adaNote, err := inst.App.Svc.Social.PostNote(ctx, actorOf(t, inst, "ada"), service.NoteInput{Content: "ada's own words", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	rem := newRemote(t)
	x, y := rem.Actor("x"), rem.Actor("y")
	seq := 0
	next := func() string { seq++; return fmt.Sprintf("%s/activities/a%d", rem.URL(), seq) }
	ctxAS := "https://www.w3.org/ns/activitystreams"

	// The victim y: a note of its own and a follow of ada.
	yNote := rem.URL() + "/notes/y1"
	yCreate := next()
	if code, body := rem.postAs(t, ada+"/inbox", y, mustJSON(t, createDoc(y, yCreate, yNote))); code != 202 {
		t.Fatalf("y's note: %d %s", code, body)
	}
	yFollow := next()
	if code, body := rem.postAs(t, ada+"/inbox", y, mustJSON(t, followDoc(y, yFollow, ada))); code != 202 {
		t.Fatalf("y's follow: %d %s", code, body)
	}
	yLike := next()
	if code, body := rem.postAs(t, ada+"/inbox", y, mustJSON(t, map[string]any{"@context": ctxAS, "id": yLike, "type": "Like", "actor": y, "object": adaNote.URI})); code != 202 {
		t.Fatalf("y's like: %d %s", code, body)
	}
	for _, u := range []string{yCreate, yFollow, yLike} {
		if row := waitProcessed(t, inst, u); row.State != models.ActivityProcessed {
			t.Fatalf("setup %s: %s %s", u, row.State, row.Error)
		}
	}

	note := func(id, attributedTo string) map[string]any {
		return map[string]any{"id": id, "type": "Note", "attributedTo": attributedTo, "content": "<p>x</p>", "to": []string{asPublic}}
	}
	// raw builds a body by hand (duplicate keys cannot be built from a map).
	raw := func(format string, args ...any) []byte { return []byte(fmt.Sprintf(format, args...)) }
	doc := func(typ string, kv ...any) []byte {
		m := map[string]any{"@context": ctxAS, "id": next(), "type": typ, "actor": x}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return mustJSON(t, m)
	}
	tags := make([]any, 201)
	for i := range tags {
		tags[i] = map[string]any{"type": "Hashtag", "name": fmt.Sprintf("#t%d", i), "href": rem.URL() + "/tags/t"}
	}
	many := make([]string, 201)
	for i := range many {
		many[i] = fmt.Sprintf("%s/users/u%d", rem.URL(), i)
	}

	cases := []struct {
		name   string
		status int    // 202: accepted, then processed as x only
		reason string // part of the refusal
		body   []byte
	}{
		{"actor as array [Link, string]", 400, "not a list", doc("Follow", "actor", []any{map[string]any{"type": "Link", "href": y}, x}, "object", ada)},
		{"actor as array [string]", 400, "not a list", doc("Follow", "actor", []any{x}, "object", ada)},
		{"actor as Link naming y", 400, "Link", doc("Follow", "actor", map[string]any{"type": "Link", "href": y}, "object", ada)},
		{"actor object with id and href", 400, "Link", doc("Follow", "actor", map[string]any{"id": x, "href": y}, "object", ada)},
		{"actor as Mention", 400, "Mention", doc("Follow", "actor", map[string]any{"type": "Mention", "id": x}, "object", ada)},
		{"actor object naming y", 401, "belongs to", doc("Follow", "actor", map[string]any{"type": "Person", "id": y}, "object", ada)},
		{"actor null", 400, "null", doc("Follow", "actor", nil, "object", ada)},
		{"Actor after actor", 400, "differ only in case", raw(`{"@context":%q,"id":%q,"type":"Follow","actor":%q,"Actor":%q,"object":%q}`, ctxAS, next(), x, y, ada)},
		{"ACTOR before actor", 400, "ACTOR", raw(`{"@context":%q,"id":%q,"type":"Follow","ACTOR":%q,"actor":%q,"object":%q}`, ctxAS, next(), y, x, ada)},
		{"duplicate actor keys", 400, "duplicate key", raw(`{"@context":%q,"id":%q,"type":"Follow","actor":%q,"actor":%q,"object":%q}`, ctxAS, next(), x, y, ada)},
		{"escaped duplicate actor key", 400, "duplicate key", raw(`{"@context":%q,"id":%q,"type":"Follow","actor":%q,"\u0061ctor":%q,"object":%q}`, ctxAS, next(), x, y, ada)},
		{"duplicate id keys", 400, "duplicate key", raw(`{"@context":%q,"id":%q,"id":%q,"type":"Follow","actor":%q,"object":%q}`, ctxAS, next(), "https://victim.example/1", x, ada)},
		{"duplicate keys nested in object", 400, "duplicate key", raw(`{"@context":%q,"id":%q,"type":"Create","actor":%q,"object":{"id":%q,"type":"Note","attributedTo":%q,"attributedTo":%q,"content":"x"}}`, ctxAS, next(), x, rem.URL()+"/notes/d1", x, y)},
		{"Object after object", 400, "differ only in case", raw(`{"@context":%q,"id":%q,"type":"Like","actor":%q,"object":%q,"Object":%q}`, ctxAS, next(), x, yNote, adaNote.URI)},
		{"objecT after object", 400, "differ only in case", raw(`{"@context":%q,"id":%q,"type":"Delete","actor":%q,"object":%q,"objecT":%q}`, ctxAS, next(), x, x+"/notes/1", adaNote.URI)},
		{"case variant nested", 400, "differ only in case", raw(`{"@context":%q,"id":%q,"type":"Create","actor":%q,"object":{"id":%q,"type":"Note","attributedTo":%q,"AttributedTo":%q}}`, ctxAS, next(), x, rem.URL()+"/notes/d2", x, y)},
		{"object array with null first", 400, "null", doc("Create", "object", []any{nil, note(rem.URL()+"/notes/n1", x)})},
		{"object array with id-less first", 400, "one object", doc("Create", "object", []any{map[string]any{"type": "Note", "content": "x"}, note("https://victim.example/n/1", y)})},
		{"object array of two for Follow", 400, "one object", doc("Follow", "object", []any{ada, bob})},
		{"object array for Delete", 400, "one object", doc("Delete", "object", []any{x + "/notes/1", adaNote.URI})},
		{"object array for Announce", 400, "one object", doc("Announce", "object", []any{yNote, adaNote.URI})},
		{"object array for Block", 400, "one object", doc("Block", "object", []any{ada, bob})},
		{"id-less embedded object", 400, "no id", doc("Create", "object", map[string]any{"type": "Note", "attributedTo": y, "content": "x"})},
		{"Like of a Link without id", 400, "no id", doc("Like", "object", map[string]any{"type": "Link", "href": adaNote.URI})},
		{"null object", 400, "must be an IRI", doc("Like", "object", nil)},
		{"nulls in to", 400, "null", doc("Create", "to", []any{nil, asPublic}, "object", note(rem.URL()+"/notes/n2", x))},
		{"nulls in cc", 400, "null", doc("Create", "cc", []any{asPublic, nil}, "object", note(rem.URL()+"/notes/n3", x))},
		{"number in to", 400, "where an id belongs", doc("Create", "to", []any{1}, "object", note(rem.URL()+"/notes/n4", x))},
		{"null in nested audience", 400, "null", doc("Create", "object", map[string]any{"id": rem.URL() + "/notes/n5", "type": "Note", "attributedTo": x, "audience": []any{nil}})},
		{"Flag of a null", 400, "null", doc("Flag", "object", []any{nil, adaNote.URI})},
		{"nested object attributed to y", 403, "attributed to", doc("Create", "object", note(rem.URL()+"/notes/n6", y))},
		{"nested object attributed to [y, x]", 403, "attributed to", doc("Create", "object", map[string]any{"id": rem.URL() + "/notes/n7", "type": "Note", "attributedTo": []string{y, x}})},
		{"nested object attributed to a local user", 403, "attributed to", doc("Create", "object", note(rem.URL()+"/notes/n8", ada))},
		{"nested activity whose actor is y", 403, "names", doc("Create", "object", map[string]any{"id": rem.URL() + "/follows/n9", "type": "Follow", "actor": y, "object": ada})},
		{"Create with object on another host", 400, "object id", doc("Create", "object", note("https://victim.example/notes/1", x))},
		{"Create of a local user's note", 400, "object id", doc("Create", "object", note(adaNote.URI, ada))},
		{"Update of another actor", 403, "only itself", doc("Update", "object", map[string]any{"id": y, "type": "Person", "name": "pwned"})},
		{"Update of a local actor", 400, "object id", doc("Update", "object", map[string]any{"id": ada, "type": "Person", "name": "pwned"})},
		{"Update of y's note", 403, "attributed to", doc("Update", "object", note(yNote, y))},
		{"Delete of a local user's note", 400, "not on the actor's host", doc("Delete", "object", adaNote.URI)},
		{"Delete of a local user", 400, "not on the actor's host", doc("Delete", "object", ada)},
		{"Delete of a local note as Tombstone", 400, "not on the actor's host", doc("Delete", "object", map[string]any{"id": adaNote.URI, "type": "Tombstone"})},
		{"Undo of someone else's Follow (embedded)", 403, "names", doc("Undo", "object", map[string]any{"id": yFollow, "type": "Follow", "actor": y, "object": ada})},
		{"Undo of someone else's Like (embedded)", 403, "names", doc("Undo", "object", map[string]any{"id": yLike, "type": "Like", "actor": y, "object": adaNote.URI})},
		{"Undo of a follow on another host", 400, "not on the actor's host", doc("Undo", "object", "https://victim.example/follows/1")},
		{"nested actor array in Undo", 400, "not a list", doc("Undo", "object", map[string]any{"id": yFollow, "type": "Follow", "actor": []any{x, y}, "object": ada})},
		{"201 tags", 400, "at most", doc("Create", "object", map[string]any{"id": rem.URL() + "/notes/n10", "type": "Note", "attributedTo": x, "tag": tags})},
		{"201 addressees", 400, "at most", doc("Create", "to", many, "object", note(rem.URL()+"/notes/n11", x))},
		{"Kelvin-sign key variant", 400, "differ only in case", raw(`{"@context":%q,"id":%q,"type":"Follow","actor":%q,"object":%q,"\u212a":1,"k":2}`, ctxAS, next(), x, ada)},
		{"lone oBjeCt instead of object", 400, "case-sensitive", raw(`{"@context":%q,"id":%q,"type":"Like","actor":%q,"oBjeCt":%q}`, ctxAS, next(), x, adaNote.URI)},
		{"lone Actor beside the signer's actor object", 400, "case-sensitive", raw(`{"@context":%q,"id":%q,"type":"Like","Actor":%q,"object":{"id":%q,"actor":%q}}`, ctxAS, next(), y, yNote, x)},
		{"two verbs in one activity", 400, "one type", doc("Like", "type", []string{"Like", "Delete"}, "object", x+"/notes/1")},
		{"trailing second document", 400, "not valid JSON", raw(`{"@context":%q,"id":%q,"type":"Follow","actor":%q,"object":%q} {"actor":%q}`, ctxAS, next(), x, ada, y)},
		// Accepted at the inbox (nothing in them is ambiguous), then processed
		// strictly as x: the service refuses to touch what x does not own.
		{"Delete of y's note by IRI (same host)", 202, "", doc("Delete", "object", yNote)},
		{"Undo of y's Follow by IRI (same host)", 202, "", doc("Undo", "object", yFollow)},
		{"Undo of y's Like by IRI (same host)", 202, "", doc("Undo", "object", yLike)},
		{"Announce{Delete ada's note} by a Person", 202, "", doc("Announce", "object", map[string]any{"id": next(), "type": "Delete", "actor": ada, "object": adaNote.URI})},
		{"Accept of y's follow of ada", 202, "", doc("Accept", "object", map[string]any{"id": yFollow, "type": "Follow", "actor": y, "object": ada})},
		{"nested note whose actor is y (kept as x's note)", 202, "", doc("Create", "object", map[string]any{"id": rem.URL() + "/notes/n9", "type": "Note", "actor": y, "attributedTo": x, "content": "x"})},
		{"actor as embedded Person (the signer)", 202, "", doc("Like", "actor", map[string]any{"id": x, "type": "Person"}, "object", yNote)},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, count := world(t, inst, x), stateCounts(t, inst)["activities"]
			code, body := rem.postAs(t, ada+"/inbox", x, tc.body)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, body)
			}
			if tc.reason != "" && !strings.Contains(body, tc.reason) {
				t.Errorf("answer %q does not say %q", body, tc.reason)
			}
			if code == 202 {
				var m map[string]any
				if err := jsonUnmarshal(tc.body, &m); err != nil {
					t.Fatal(err)
				}
				row := waitProcessed(t, inst, m["id"].(string))
				if row.ActorURI != x {
					t.Errorf("stored actor %s, want %s", row.ActorURI, x)
				}
			} else if n := stateCounts(t, inst)["activities"]; n != count {
				t.Errorf("a refused activity was stored (%d -> %d)", count, n)
			}
			if after := world(t, inst, x); after != before {
				t.Errorf("someone else's data changed:\n--- before\n%s\n--- after\n%s", before, after)
			}
		})
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// TestProcessingActsOnlyAsTheVerifiedActor: a stored activity whose body names
// another actor than the verified one stored with it (what a second,
// disagreeing reader would produce) is refused for good by the job, and
// changes nothing. Defence in depth behind the inbox's one reading.
func TestProcessingActsOnlyAsTheVerifiedActor(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	yNote := e.id("notes")
	e.setup(e.y, e.act("Create", e.y, "object", e.note(yNote, e.y, ""), "to", []string{asPublic}))
	for _, tc := range []struct {
		name string
		body map[string]any
	}{
		{"body names y, verified x", e.act("Delete", e.y, "object", yNote)},
		{"body names a local user", e.act("Follow", e.ada, "object", e.inst.ActorURL("bob"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := world(t, e.inst, "")
			row := models.Activity{ID: models.NewID(), URI: tc.body["id"].(string), Type: tc.body["type"].(string), ActorURI: e.x,
				Raw: string(mustJSON(t, tc.body)), State: models.ActivityPending, CreatedAt: time.Now()}
			err := e.inst.App.Store.Tx(ctx, func(tx *store.Store) error {
				if _, err := tx.InsertActivities(ctx, []models.Activity{row}); err != nil {
					return err
				}
				return e.inst.App.Queue.InsertTx(ctx, tx, federation.ProcessInbox{ActivityID: row.ID})
			})
			if err != nil {
				t.Fatal(err)
			}
			got := waitProcessed(t, e.inst, row.URI)
			if got.State != models.ActivityFailed || !strings.Contains(got.Error, "verified") {
				t.Fatalf("state %s (%s), want failed: not the verified signer", got.State, got.Error)
			}
			if after := world(t, e.inst, ""); after != before {
				t.Errorf("data changed:\n--- before\n%s\n--- after\n%s", before, after)
			}
		})
	}
}
