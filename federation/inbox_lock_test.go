package federation_test

import "testing"

// TestInboxLock: only the post's community locks or unlocks its thread.
func TestInboxLock(t *testing.T) {
	e := newInboxEnv(t)
	inG := e.id("notes")
	e.setup(e.y, e.act("Create", e.y, "object", e.note(inG, e.y, e.g), "to", []string{asPublic}))
	locked := func() bool { return e.noteRow(inG).Locked }
	var lock map[string]any
	runInboxCases(t, e, []inboxCase{
		{name: "a person locks a community post", status: 202, state: "failed", reason: "only the post's community",
			doc: func(e *inboxEnv) map[string]any { return e.act("Lock", e.x, "object", inG) }},
		{name: "a group locks a post of no community of its", signer: e.g, status: 202, state: "failed", reason: "only the post's community",
			doc: func(e *inboxEnv) map[string]any { return e.act("Lock", e.g, "object", e.adaNote.URI) }},
		{name: "lock of an unknown note is ignored", signer: e.g, status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Lock", e.g, "object", e.id("notes")) }},
		{name: "the community locks its post", signer: e.g, status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { lock = e.act("Lock", e.g, "object", inG); return lock },
			check: func(t *testing.T, e *inboxEnv) {
				if !locked() {
					t.Fatal("not locked")
				}
			}},
		{name: "a person undoes the community's lock", status: 403, reason: "names",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Undo", e.x, "object", map[string]any{"id": lock["id"], "type": "Lock", "actor": e.g, "object": inG})
			}},
		{name: "the community unlocks it (Undo by id)", signer: e.g, status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.act("Undo", e.g, "object", lock["id"]) },
			check: func(t *testing.T, e *inboxEnv) {
				if locked() {
					t.Fatal("still locked")
				}
			}},
		{name: "the community locks it again", signer: e.g, status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { lock = e.act("Lock", e.g, "object", inG); return lock },
			check: func(t *testing.T, e *inboxEnv) {
				if !locked() {
					t.Fatal("not locked")
				}
			}},
		{name: "the community unlocks it (embedded Lock)", signer: e.g, status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Undo", e.g, "object", map[string]any{"id": lock["id"], "type": "Lock", "actor": e.g, "object": inG})
			},
			check: func(t *testing.T, e *inboxEnv) {
				if locked() {
					t.Fatal("still locked")
				}
			}},
	})
}
