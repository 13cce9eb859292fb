package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestInboxUpdateOffer: hostile revisions (Update of an offered contribution)
// and withdrawals (Undo{Offer}, Delete) of offers to a community of ours.
func TestInboxUpdateOffer(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	group, founder := cmCommunity(t, e.inst, "founder", "garden", service.CommunityInput{OfferPolicy: "open"})
	obj := func(id, author, title string) map[string]any {
		return map[string]any{"id": id, "type": "Page", "name": title, "attributedTo": author, "content": "<p>" + title + "</p>",
			"licence": "CC-BY-SA-4.0", "contributionKind": "code"}
	}
	offer := func(by, id string) (string, *models.Contribution) {
		act := e.act("Offer", by, "object", obj(id, by, "first"), "target", group.URI)
		e.setup(by, act)
		co, err := e.inst.App.Store.ContributionByURI(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return act["id"].(string), co
	}
	yObj, xObj, xDone, xGone := e.id("works"), e.id("works"), e.id("works"), e.id("works")
	yOffer, yCo := offer(e.y, yObj)
	_, xCo := offer(e.x, xObj)
	_, doneCo := offer(e.x, xDone)
	_, goneCo := offer(e.x, xGone)
	if _, err := e.inst.App.Svc.Communities.Decide(ctx, founder, doneCo.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	local, err := e.inst.App.Svc.Communities.Offer(ctx, founder, group, service.ContributionInput{Title: "local work", Kind: "code"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := func(id string) *models.Contribution {
		co, err := e.inst.App.Store.ContributionByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return co
	}
	unchanged := func(id string) func(t *testing.T, e *inboxEnv) {
		return func(t *testing.T, e *inboxEnv) {
			if co := row(id); co.Revision != 1 || co.Title == "pwned" || co.State == models.ContributionWithdrawn {
				t.Fatalf("contribution changed: %+v", co)
			}
		}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "update of y's offer attributed to y", status: 403, reason: "attributed to",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", obj(yObj, e.y, "pwned")) },
			check: unchanged(yCo.ID)},
		{name: "update of y's offer claiming x", status: 202, state: "failed", reason: "only the contributor",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", obj(yObj, e.x, "pwned")) },
			check: unchanged(yCo.ID)},
		{name: "update of a local contribution by id", status: 202, state: "failed", reason: "sender's host",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", local.URI) },
			check: unchanged(local.ID)},
		{name: "embedded copy of a local contribution", status: 400, reason: "object id",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", obj(local.URI, e.x, "pwned")) },
			check: unchanged(local.ID)},
		{name: "update after acceptance", status: 202, state: "failed", reason: "cannot be revised",
			doc: func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", obj(xDone, e.x, "late")) },
			check: func(t *testing.T, e *inboxEnv) {
				if co := row(doneCo.ID); co.Revision != 1 || co.State != models.ContributionAccepted || co.Title != "first" {
					t.Fatalf("accepted contribution changed: %+v", co)
				}
			}},
		{name: "x revises its offer", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", obj(xObj, e.x, "second")) },
			check: func(t *testing.T, e *inboxEnv) {
				co := row(xCo.ID)
				revs, _ := e.inst.App.Store.ContributionRevisions(ctx, co.ID)
				if co.Revision != 2 || co.Title != "second" || len(revs) != 2 || revs[0].Title != "first" || !strings.Contains(co.BodyHTML, "second") {
					t.Fatalf("after the revision: %+v %d revisions", co, len(revs))
				}
			}},
		{name: "undo of y's offer by x", status: 202, state: "failed", reason: "another actor",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Undo", e.x, "object", yOffer) },
			check: unchanged(yCo.ID)},
		{name: "undo of y's offer embedded", status: 403, reason: "names",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Undo", e.x, "object", map[string]any{"id": yOffer, "type": "Offer", "actor": e.y, "object": yObj})
			},
			check: unchanged(yCo.ID)},
		{name: "delete of y's contribution by x", status: 202, state: "failed", reason: "only the contributor",
			doc:   func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", yObj) },
			check: unchanged(yCo.ID)},
		{name: "x withdraws its offer by Delete", status: 202, state: "processed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Delete", e.x, "object", xGone) },
			check: func(t *testing.T, e *inboxEnv) {
				if co := row(goneCo.ID); co.State != models.ContributionWithdrawn {
					t.Fatalf("state %s", co.State)
				}
			}},
	})
}
