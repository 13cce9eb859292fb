package federation_test

import (
	"testing"

	"github.com/commonsd/commonsd/models"
)

func TestInboxUndo(t *testing.T) {
	e := newInboxEnv(t)
	xFollow := e.act("Follow", e.x, "object", e.ada)
	yFollow := e.act("Follow", e.y, "object", e.ada)
	yLike := e.act("Like", e.y, "object", e.adaNote.URI)
	xLike := e.act("Like", e.x, "object", e.adaNote.URI)
	e.setup(e.x, xFollow)
	e.setup(e.y, yFollow)
	e.setup(e.y, yLike)
	e.setup(e.x, xLike)
	count := func(m any, where string, arg string) int64 {
		var n int64
		e.inst.App.Store.DB.Model(m).Where(where, arg).Count(&n)
		return n
	}
	runInboxCases(t, e, []inboxCase{
		{name: "undo by id of y's follow", status: 202, state: "failed", reason: "another actor",
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", yFollow["id"]) }},
		{name: "undo by id of y's like", status: 202, state: "failed", reason: "another actor",
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", yLike["id"]) }},
		{name: "undo of y's follow, embedded", status: 403, reason: "names",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Undo", e.x, "object", map[string]any{"id": yFollow["id"], "type": "Follow", "actor": e.y, "object": e.ada})
			}},
		{name: "undo of a follow on another host", status: 400, reason: "not on the actor's host",
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", "https://victim.example/f/1") }},
		{name: "undo of an unknown activity is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", e.id("nothing")) }},
		{name: "undo of x's like", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Undo", e.x, "object", map[string]any{"id": xLike["id"], "type": "Like", "actor": e.x, "object": e.adaNote.URI})
			},
			check: func(t *testing.T, e *inboxEnv) {
				if n := count(&models.Like{}, "uri = ?", xLike["id"].(string)); n != 0 {
					t.Fatal("like still there")
				}
			}},
		{name: "undo of x's follow, by id", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", xFollow["id"]) },
			check: func(t *testing.T, e *inboxEnv) {
				if n := count(&models.Follow{}, "uri = ?", xFollow["id"].(string)); n != 0 {
					t.Fatal("follow still there")
				}
				if n := count(&models.Follow{}, "uri = ?", yFollow["id"].(string)); n != 1 {
					t.Fatal("y's follow is gone")
				}
			}},
	})
}
