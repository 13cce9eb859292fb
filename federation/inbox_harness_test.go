package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// inboxEnv is one instance with local users ada and bob (ada has a public
// note) and a fake remote server whose actors x (the sender in the tables)
// and y (a bystander) sign correctly; group is a remote Group actor there.
type inboxEnv struct {
	t       *testing.T
	inst    *apptest.Instance
	rem     *remote
	x, y, g string
	ada     string
	adaNote *models.Note
	seq     int
}

func newInboxEnv(t *testing.T) *inboxEnv {
	t.Helper()
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	newUser(t, inst, "bob")
	rem := newRemote(t)
	e := &inboxEnv{t: t, inst: inst, rem: rem, x: rem.Actor("x"), y: rem.Actor("y"), g: rem.URL() + "/groups/g", ada: inst.ActorURL("ada")}
	var doc map[string]any
	if err := json.Unmarshal(actorDoc(e.g, rem.URL(), &rem.key.PublicKey), &doc); err != nil {
		t.Fatal(err)
	}
	doc["type"] = "Group"
	rem.Serve("/groups/g", mustJSON(t, doc))
	n, err := inst.App.Svc.Social.PostNote(context.Background(), actorOf(t, inst, "ada"), service.NoteInput{Content: "ada's words", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	e.adaNote = n
	return e
}

// id is a fresh activity or object id on the remote server.
func (e *inboxEnv) id(kind string) string {
	e.seq++
	return fmt.Sprintf("%s/%s/%d", e.rem.URL(), kind, e.seq)
}

// act builds an activity of typ by actor with more properties.
func (e *inboxEnv) act(typ, actor string, kv ...any) map[string]any {
	m := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": e.id(strings.ToLower(typ)), "type": typ, "actor": actor}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// note is a public Note by author, optionally in a community.
func (e *inboxEnv) note(id, author, audience string) map[string]any {
	n := map[string]any{"id": id, "type": "Note", "attributedTo": author, "content": "<p>words of " + author + "</p>",
		"to": []string{asPublic}}
	if audience != "" {
		n["audience"] = audience
	}
	return n
}

// setup sends doc signed by actor and requires it processed.
func (e *inboxEnv) setup(actor string, doc map[string]any) {
	e.t.Helper()
	if code, body := e.rem.postAs(e.t, e.ada+"/inbox", actor, mustJSON(e.t, doc)); code != 202 {
		e.t.Fatalf("setup %s: %d %s", doc["type"], code, body)
	}
	if row := waitProcessed(e.t, e.inst, doc["id"].(string)); row.State != models.ActivityProcessed {
		e.t.Fatalf("setup %s: %s %s", doc["type"], row.State, row.Error)
	}
}

func (e *inboxEnv) noteRow(uri string) *models.Note {
	e.t.Helper()
	var n models.Note
	if err := e.inst.App.Store.DB.Where("uri = ?", uri).First(&n).Error; err != nil {
		e.t.Fatalf("note %s: %v", uri, err)
	}
	return &n
}

// inboxCase is one row of a handler's table: doc is sent signed by signer
// (x when empty); a 202 is followed by the job, whose final state must be
// state. Nothing but the signer's own rows may change, unless changes says
// the case is meant to change someone else's (an Accept of ada's follow);
// check then asserts the outcome.
type inboxCase struct {
	name    string
	signer  string
	doc     func(e *inboxEnv) map[string]any
	status  int
	state   string // for 202: processed, ignored or failed
	reason  string // part of the answer (refusals) or of the recorded error
	changes bool
	check   func(t *testing.T, e *inboxEnv)
}

func runInboxCases(t *testing.T, e *inboxEnv, cases []inboxCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			signer := tc.signer
			if signer == "" {
				signer = e.x
			}
			doc := tc.doc(e)
			before := world(t, e.inst, signer)
			count := stateCounts(t, e.inst)["activities"]
			code, body := e.rem.postAs(t, e.ada+"/inbox", signer, mustJSON(t, doc))
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, body)
			}
			if code == 202 {
				row := waitProcessed(t, e.inst, doc["id"].(string))
				if row.State != tc.state {
					t.Fatalf("state %s (%s), want %s", row.State, row.Error, tc.state)
				}
				if tc.reason != "" && !strings.Contains(row.Error, tc.reason) {
					t.Errorf("recorded %q, want it to say %q", row.Error, tc.reason)
				}
			} else {
				if tc.reason != "" && !strings.Contains(body, tc.reason) {
					t.Errorf("answer %q does not say %q", body, tc.reason)
				}
				if n := stateCounts(t, e.inst)["activities"]; n != count {
					t.Errorf("a refused activity was stored")
				}
			}
			if after := world(t, e.inst, signer); !tc.changes && after != before {
				t.Errorf("someone else's data changed:\n--- before\n%s\n--- after\n%s", before, after)
			}
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}
