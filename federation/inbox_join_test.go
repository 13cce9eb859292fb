package federation_test

import (
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestInboxJoinLeave: a remote actor joins and leaves an open community of
// ours, only for itself.
func TestInboxJoinLeave(t *testing.T) {
	e := newInboxEnv(t)
	group, _ := cmCommunity(t, e.inst, "founder", "garden", service.CommunityInput{MembershipPolicy: "open"})
	member := func(uri string) bool {
		var n int64
		e.inst.App.Store.DB.Model(&models.Membership{}).Joins("JOIN actors ON actors.id = memberships.actor_id").
			Where("memberships.community_id = ? AND actors.uri = ?", group.ID, uri).Count(&n)
		return n == 1
	}
	runInboxCases(t, e, []inboxCase{
		{name: "join of a person is refused", status: 202, state: "failed", reason: "only communities",
			doc: func(e *inboxEnv) map[string]any { return e.act("Join", e.x, "object", e.ada) }},
		{name: "join of a remote group is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return e.act("Join", e.x, "object", e.g) }},
		{name: "join in y's name", status: 401, reason: "belongs to",
			doc: func(e *inboxEnv) map[string]any { return e.act("Join", e.y, "object", group.URI) }},
		{name: "join of two communities", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any { return e.act("Join", e.x, "object", []string{group.URI, e.ada}) }},
		{name: "leave without being a member", status: 202, state: "failed", reason: "not a member",
			doc: func(e *inboxEnv) map[string]any { return e.act("Leave", e.x, "object", group.URI) }},
		{name: "join of the open community", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.act("Join", e.x, "object", group.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if !member(e.x) {
					t.Fatal("x is not a member")
				}
			}},
		{name: "leave", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.act("Leave", e.x, "object", group.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if member(e.x) {
					t.Fatal("x is still a member")
				}
			}},
	})
}
