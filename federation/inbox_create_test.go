package federation_test

import (
	"strings"
	"testing"
)

func TestInboxCreate(t *testing.T) {
	e := newInboxEnv(t)
	n1 := e.id("notes")
	runInboxCases(t, e, []inboxCase{
		{name: "x's own note is stored", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", e.note(n1, e.x, ""), "to", []string{asPublic})
			},
			check: func(t *testing.T, e *inboxEnv) {
				if e.noteRow(n1).Content == "" {
					t.Fatal("empty note")
				}
			}},
		{name: "note attributed to y", status: 403, reason: "attributed to",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", e.note(e.id("notes"), e.y, ""))
			}},
		{name: "note attributed to a local user", status: 403, reason: "attributed to",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", e.note(e.id("notes"), e.ada, ""))
			}},
		{name: "note without attributedTo", status: 400, reason: "no attributedTo",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(e.id("notes"), e.x, "")
				delete(n, "attributedTo")
				return e.act("Create", e.x, "object", n, "to", []string{asPublic})
			}},
		{name: "note by reference whose origin gives no attributedTo", status: 202, state: "failed", reason: "no attributedTo",
			doc: func(e *inboxEnv) map[string]any {
				id := e.id("notes")
				n := e.note(id, e.x, "")
				delete(n, "attributedTo")
				e.rem.Serve(strings.TrimPrefix(id, e.rem.URL()), mustJSON(t, n))
				return e.act("Create", e.x, "object", id, "to", []string{asPublic})
			}},
		{name: "note on another host", status: 400, reason: "object id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", e.note("https://victim.example/n/1", e.x, ""))
			}},
		{name: "note without id", status: 400, reason: "no id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", map[string]any{"type": "Note", "attributedTo": e.x, "content": "x"})
			}},
		{name: "two notes", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", []any{e.note(e.id("notes"), e.x, ""), e.note(e.id("notes"), e.y, "")})
			}},
		{name: "created activity whose actor is y", status: 403, reason: "names",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", map[string]any{"id": e.id("follows"), "type": "Follow", "actor": e.y, "object": e.ada})
			}},
		{name: "note whose actor is y is x's note", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(e.id("notes"), e.x, "")
				n["actor"] = e.y
				return e.act("Create", e.x, "object", n)
			}},
		{name: "Mobilizon group event sent by the group", signer: e.g, status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.g, "object", map[string]any{"id": e.id("events"), "type": "Event", "name": "e",
					"actor": e.x, "attributedTo": e.g, "to": []string{asPublic}}, "to", []string{asPublic})
			}},
		{name: "Mobilizon event sent by the organiser, authored by the group", status: 403, reason: "attributed to",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Create", e.x, "object", map[string]any{"id": e.id("events"), "type": "Event", "name": "e",
					"actor": e.x, "attributedTo": e.g})
			}},
		{name: "note with 201 mentions", status: 400, reason: "at most",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(e.id("notes"), e.x, "")
				tags := make([]any, 201)
				for i := range tags {
					tags[i] = map[string]any{"type": "Mention", "href": e.ada, "name": "@ada"}
				}
				n["tag"] = tags
				return e.act("Create", e.x, "object", n)
			}},
	})
}
