package federation_test

import (
	"strings"
	"testing"
)

func TestInboxUpdate(t *testing.T) {
	e := newInboxEnv(t)
	xNote, yNote := e.id("notes"), e.id("notes")
	e.setup(e.x, e.act("Create", e.x, "object", e.note(xNote, e.x, ""), "to", []string{asPublic}))
	e.setup(e.y, e.act("Create", e.y, "object", e.note(yNote, e.y, ""), "to", []string{asPublic}))
	runInboxCases(t, e, []inboxCase{
		{name: "update of another actor", status: 403, reason: "only itself",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Update", e.x, "object", map[string]any{"id": e.y, "type": "Person", "name": "pwned"})
			}},
		{name: "update of a local actor", status: 400, reason: "object id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Update", e.x, "object", map[string]any{"id": e.ada, "type": "Person", "name": "pwned"})
			}},
		{name: "update of y's note", status: 403, reason: "attributed to",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(yNote, e.y, "")
				n["content"] = "pwned"
				return e.act("Update", e.x, "object", n)
			}},
		{name: "update of y's note claiming x as author", status: 202, state: "failed",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(yNote, e.x, "")
				n["content"] = "pwned"
				return e.act("Update", e.x, "object", n)
			},
			check: func(t *testing.T, e *inboxEnv) {
				if strings.Contains(e.noteRow(yNote).Content, "pwned") {
					t.Fatal("y's note changed")
				}
			}},
		{name: "update of x's own note", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				n := e.note(xNote, e.x, "")
				n["content"] = "<p>edited</p>"
				return e.act("Update", e.x, "object", n)
			},
			check: func(t *testing.T, e *inboxEnv) {
				if !strings.Contains(e.noteRow(xNote).Content, "edited") {
					t.Fatal("not edited")
				}
			}},
		{name: "update of x itself refetches it", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Update", e.x, "object", map[string]any{"id": e.x, "type": "Person", "name": "embedded copy"})
			}},
	})
}
