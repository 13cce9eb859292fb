package federation_test

import "testing"

func TestInboxBlock(t *testing.T) {
	e := newInboxEnv(t)
	runInboxCases(t, e, []inboxCase{
		{name: "block of ada", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Block", e.x, "object", e.ada) }},
		{name: "block of a remote actor is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Block", e.x, "object", e.y) }},
		{name: "block of two actors", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Block", e.x, "object", []string{e.ada, e.inst.ActorURL("bob")})
			}},
		{name: "block in y's name", status: 401, reason: "belongs to",
			doc: func(e *inboxEnv) map[string]any { return e.act("Block", e.y, "object", e.ada) }},
	})
}
