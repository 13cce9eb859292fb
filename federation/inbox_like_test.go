package federation_test

import "testing"

func TestInboxLike(t *testing.T) {
	e := newInboxEnv(t)
	runInboxCases(t, e, []inboxCase{
		{name: "like of ada's note", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Like", e.x, "object", e.adaNote.URI) }},
		{name: "like of an unknown object is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Like", e.x, "object", e.id("notes")) }},
		{name: "like in y's name", status: 401, reason: "belongs to",
			doc: func(e *inboxEnv) map[string]any { return e.act("Like", e.y, "object", e.adaNote.URI) }},
		{name: "like with actor list", status: 400, reason: "not a list",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Like", e.x, "actor", []string{e.x, e.y}, "object", e.adaNote.URI)
			}},
		{name: "like of a Link", status: 400, reason: "no id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Like", e.x, "object", map[string]any{"type": "Link", "href": e.adaNote.URI})
			}},
	})
}
