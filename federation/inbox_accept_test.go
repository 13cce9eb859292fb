package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestInboxAccept: only the followed actor answers a follow of ours.
func TestInboxAccept(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	ada := actorOf(t, e.inst, "ada")
	xActor, err := e.inst.App.Fed.ResolveActor(ctx, e.x)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.inst.App.Svc.Social.Follow(ctx, ada, xActor, "")
	if err != nil {
		t.Fatal(err)
	}
	state := func(t *testing.T) string {
		var row models.Follow
		if err := e.inst.App.Store.DB.Where("id = ?", f.ID).First(&row).Error; err != nil {
			return "gone"
		}
		return row.State
	}
	inner := func(e *inboxEnv) map[string]any {
		return map[string]any{"id": f.URI, "type": "Follow", "actor": e.ada, "object": e.x}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "accept by someone else than the followed actor", signer: e.y, status: 202, state: "failed", reason: "only the followed actor",
			doc: func(e *inboxEnv) map[string]any { return e.act("Accept", e.y, "object", inner(e)) },
			check: func(t *testing.T, e *inboxEnv) {
				if s := state(t); s != models.FollowPending {
					t.Fatalf("follow %s", s)
				}
			}},
		{name: "reject by someone else", signer: e.y, status: 202, state: "failed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Reject", e.y, "object", f.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if s := state(t); s != models.FollowPending {
					t.Fatalf("follow %s", s)
				}
			}},
		{name: "accept of an unknown activity is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Accept", e.x, "object", e.id("nothing")) }},
		{name: "accept of two activities", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any { return e.act("Accept", e.x, "object", []any{f.URI, e.id("f")}) }},
		{name: "accept by the followed actor, by id", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.act("Accept", e.x, "object", f.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if s := state(t); s != models.FollowAccepted {
					t.Fatalf("follow %s", s)
				}
			}},
		{name: "reject by the followed actor, embedded", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.act("Reject", e.x, "object", inner(e)) },
			check: func(t *testing.T, e *inboxEnv) {
				if s := state(t); s != "gone" {
					t.Fatalf("follow %s", s)
				}
			}},
	})
}
