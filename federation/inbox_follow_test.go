package federation_test

import (
	"context"
	"testing"
)

func TestInboxFollow(t *testing.T) {
	e := newInboxEnv(t)
	runInboxCases(t, e, []inboxCase{
		{name: "follow of a local user is stored and answered", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Follow", e.x, "object", e.ada) },
			check: func(t *testing.T, e *inboxEnv) {
				n, _ := e.inst.App.Store.CountFollowers(context.Background(), actorOf(t, e.inst, "ada").ID)
				if n != 1 {
					t.Fatalf("%d followers", n)
				}
			}},
		{name: "follow of an actor not of this instance is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Follow", e.x, "object", e.y) }},
		{name: "follow of an unknown local name is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Follow", e.x, "object", e.inst.ActorURL("nobody"))
			}},
		{name: "follow of two actors at once", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Follow", e.x, "object", []string{e.ada, e.inst.ActorURL("bob")})
			}},
		{name: "follow in the name of y", status: 401, reason: "belongs to",
			doc: func(e *inboxEnv) map[string]any { return e.act("Follow", e.y, "object", e.ada) }},
		{name: "follow whose id is on another host", status: 400, reason: "activity id",
			doc: func(e *inboxEnv) map[string]any {
				d := e.act("Follow", e.x, "object", e.ada)
				d["id"] = "https://victim.example/follows/1"
				return d
			}},
	})
}
