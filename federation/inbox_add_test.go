package federation_test

import "testing"

// TestInboxAddRemove: nobody adds to or removes from our collections from
// outside; remote collections are not mirrored.
func TestInboxAddRemove(t *testing.T) {
	e := newInboxEnv(t)
	runInboxCases(t, e, []inboxCase{
		{name: "add x to a local moderators collection", status: 202, state: "failed", reason: "only this instance",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Add", e.x, "object", e.x, "target", e.inst.ActorURL("ada")+"/moderators")
			}},
		{name: "remove ada from a local collection", status: 202, state: "failed", reason: "only this instance",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Remove", e.x, "object", e.ada, "target", e.inst.ActorURL("ada")+"/members")
			}},
		{name: "add to a remote collection is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Add", e.x, "object", e.adaNote.URI, "target", e.x+"/collections/featured")
			}},
		{name: "add of two objects", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Add", e.x, "object", []string{e.x, e.y}, "target", e.inst.ActorURL("ada")+"/moderators")
			}},
	})
}
