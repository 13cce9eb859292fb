package federation_test

import (
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestInboxOffer: hostile offers to a community; the accepted path is covered
// by the community tests (community_*_test.go).
func TestInboxOffer(t *testing.T) {
	e := newInboxEnv(t)
	group, _ := cmCommunity(t, e.inst, "founder", "garden", service.CommunityInput{OfferPolicy: "open"})
	page := func(e *inboxEnv, id, author string) map[string]any {
		return map[string]any{"id": id, "type": "Page", "name": "a contribution", "attributedTo": author, "content": "<p>x</p>"}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "offer of an object on another host", status: 400, reason: "object id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Offer", e.x, "object", page(e, "https://victim.example/p/1", e.x), "target", group.URI)
			}},
		{name: "offer attributed to y", status: 403, reason: "attributed to",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Offer", e.x, "object", page(e, e.id("pages"), e.y), "target", group.URI)
			}},
		{name: "offer of two objects", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Offer", e.x, "object", []any{page(e, e.id("pages"), e.x), page(e, e.id("pages"), e.x)}, "target", group.URI)
			}},
		{name: "offer without a target", status: 202, state: "failed", reason: "target",
			doc: func(e *inboxEnv) map[string]any { return e.act("Offer", e.x, "object", page(e, e.id("pages"), e.x)) }},
		{name: "offer to a person is ignored", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Offer", e.x, "object", page(e, e.id("pages"), e.x), "target", e.y)
			}},
	})
}
