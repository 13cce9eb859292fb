package federation_test

import (
	"context"
	"testing"
)

func TestInboxDelete(t *testing.T) {
	e := newInboxEnv(t)
	xNote, yNote := e.id("notes"), e.id("notes")
	e.setup(e.x, e.act("Create", e.x, "object", e.note(xNote, e.x, ""), "to", []string{asPublic}))
	e.setup(e.y, e.act("Create", e.y, "object", e.note(yNote, e.y, ""), "to", []string{asPublic}))
	runInboxCases(t, e, []inboxCase{
		{name: "delete of a local user's note", status: 400, reason: "not on the actor's host",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", e.adaNote.URI) }},
		{name: "delete of a local user", status: 400, reason: "not on the actor's host",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", e.ada) }},
		{name: "delete of y's note from the same host", status: 202, state: "failed", reason: "only the author",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", yNote) }},
		{name: "delete of y's note as a Tombstone", status: 202, state: "failed", reason: "only the author",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Delete", e.x, "object", map[string]any{"id": yNote, "type": "Tombstone"})
			}},
		{name: "delete of two objects", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", []string{xNote, yNote}) }},
		{name: "delete of x's own note", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", xNote) },
			check: func(t *testing.T, e *inboxEnv) {
				if e.noteRow(xNote).DeletedAt == nil {
					t.Fatal("x's note not deleted")
				}
				if e.noteRow(yNote).DeletedAt != nil || e.noteRow(e.adaNote.URI).DeletedAt != nil {
					t.Fatal("another note deleted")
				}
			}},
		{name: "delete of another actor of the same host", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", e.y) },
			check: func(t *testing.T, e *inboxEnv) {
				y, err := e.inst.App.Store.ActorByURI(context.Background(), e.y)
				if err != nil || y.Suspended || e.noteRow(yNote).DeletedAt != nil {
					t.Fatal("x deleted y")
				}
			}},
		{name: "an actor deletes itself", signer: e.y, status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.y, "object", e.y) },
			check: func(t *testing.T, e *inboxEnv) {
				y, err := e.inst.App.Store.ActorByURI(context.Background(), e.y)
				if err != nil || !y.Suspended {
					t.Fatal("y not removed")
				}
				if e.noteRow(yNote).DeletedAt == nil {
					t.Fatal("y's note kept")
				}
				if e.noteRow(e.adaNote.URI).DeletedAt != nil {
					t.Fatal("a local note deleted")
				}
			}},
	})
}
