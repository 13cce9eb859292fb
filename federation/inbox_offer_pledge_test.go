package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// economyEnv adds to inboxEnv a local foundation "fund" (admin ada) with an
// open appeal in EUR, and a cancelled one.
func economyEnv(t *testing.T) (*inboxEnv, *models.FundingAppeal, *models.FundingAppeal) {
	t.Helper()
	e := newInboxEnv(t)
	ctx := context.Background()
	svc := e.inst.App.Svc
	ada, err := svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Economy.CreateOrganization(ctx, ada, service.OrganizationInput{Handle: "fund", Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	open := func(title string) *models.FundingAppeal {
		a, err := svc.Economy.OpenAppeal(ctx, ada, service.AppealInput{As: "fund", Title: title, Goal: "1000", Currency: "EUR",
			EndsAt: time.Now().Add(10 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a, cancelled := open("Servers"), open("Old plan")
	if _, err := svc.Economy.CancelAppeal(ctx, ada, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	return e, a, cancelled
}

func quantity(v, cur string) map[string]any {
	return map[string]any{"hasUnit": "one", "hasNumericalValue": v, "currency": cur}
}

// pledgeOffer is x's Offer{Agreement} of q to appeal.
func (e *inboxEnv) pledgeOffer(appealURI, provider string, q any) map[string]any {
	return e.act("Offer", e.x, "to", []string{e.inst.ActorURL("fund")}, "object", map[string]any{
		"id": e.id("agreements"), "type": "Agreement", "content": "for the servers",
		"stipulates": map[string]any{"id": e.id("commitments"), "type": "Commitment", "satisfies": appealURI + "#primary",
			"action": "transfer", "provider": provider, "resourceQuantity": q}})
}

func economyCounts(t *testing.T, e *inboxEnv) [2]int64 {
	t.Helper()
	var p, ev int64
	e.inst.App.Store.DB.Model(&models.Pledge{}).Count(&p)
	e.inst.App.Store.DB.Model(&models.EconomicEvent{}).Count(&ev)
	return [2]int64{p, ev}
}

// TestInboxOfferPledge: every bad remote pledge (the "Bad input")
// changes nothing; a good one is accepted and enters the ledger once.
func TestInboxOfferPledge(t *testing.T) {
	e, a, cancelled := economyEnv(t)
	unchanged := func(t *testing.T, e *inboxEnv) {
		if c := economyCounts(t, e); c != [2]int64{0, 0} {
			t.Errorf("pledges/entries %v after a refused pledge", c)
		}
	}
	bad := func(name, reason string, doc func(e *inboxEnv) map[string]any) inboxCase {
		return inboxCase{name: name, status: 202, state: "failed", reason: reason, doc: doc, check: unchanged}
	}
	runInboxCases(t, e, []inboxCase{
		bad("negative", "positive", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("-5.00", "EUR")) }),
		bad("zero", "more than zero", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("0.00", "EUR")) }),
		bad("float-formatted", "decimal string", func(e *inboxEnv) map[string]any {
			return e.pledgeOffer(a.URI, e.x, map[string]any{"hasUnit": "one", "hasNumericalValue": 5.0, "currency": "EUR"})
		}),
		bad("exponent", "positive", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("5e2", "EUR")) }),
		bad("over-precise", "decimals", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("5.001", "EUR")) }),
		bad("unknown currency", "unknown currency", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("5.00", "EUX")) }),
		bad("other currency", "not USD", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.x, quantity("5.00", "USD")) }),
		bad("closed appeal", "cancelled", func(e *inboxEnv) map[string]any { return e.pledgeOffer(cancelled.URI, e.x, quantity("5.00", "EUR")) }),
		bad("provider is not the actor", "provider", func(e *inboxEnv) map[string]any { return e.pledgeOffer(a.URI, e.y, quantity("5.00", "EUR")) }),
		bad("appeal not ours", "no appeal of ours", func(e *inboxEnv) map[string]any {
			return e.pledgeOffer("https://elsewhere.example/appeals/1", e.x, quantity("5.00", "EUR"))
		}),
		bad("satisfies nothing", "primary intent", func(e *inboxEnv) map[string]any {
			d := e.pledgeOffer(a.URI, e.x, quantity("5.00", "EUR"))
			d["object"].(map[string]any)["stipulates"].(map[string]any)["satisfies"] = a.URI
			return d
		}),
		{name: "offer id on another host", status: 400, reason: "not on the actor's host", check: unchanged,
			doc: func(e *inboxEnv) map[string]any {
				d := e.pledgeOffer(a.URI, e.x, quantity("5.00", "EUR"))
				d["id"] = "https://victim.example/offers/1"
				return d
			}},
	})
	// the good pledge, then the same Offer id again
	good := e.pledgeOffer(a.URI, e.x, quantity("25.50", "EUR"))
	e.setup(e.x, good)
	if c := economyCounts(t, e); c != [2]int64{1, 1} {
		t.Fatalf("after a good pledge: pledges/entries %v", c)
	}
	p, err := e.inst.App.Store.PledgeByURI(context.Background(), good["id"].(string))
	if err != nil || p.State != models.PledgeAccepted || p.AmountMinor != 2550 || p.Message != "for the servers" {
		t.Fatalf("pledge %+v, %v", p, err)
	}
	if code, _ := e.rem.postAs(t, e.ada+"/inbox", e.x, mustJSON(t, good)); code != 202 {
		t.Fatalf("duplicate Offer: %d", code)
	}
	waitProcessed(t, e.inst, good["id"].(string))
	if c := economyCounts(t, e); c != [2]int64{1, 1} {
		t.Fatalf("a duplicate Offer id changed the ledger: %v", c)
	}
	// the duplicate under a new activity id but the same Offer id is the
	// same activity to us: a second Offer with a fresh id is a second pledge
	dup := e.pledgeOffer(a.URI, e.x, quantity("25.50", "EUR"))
	dup["id"] = good["id"]
	if code, _ := e.rem.postAs(t, e.ada+"/inbox", e.x, mustJSON(t, dup)); code != 202 {
		t.Fatalf("duplicate Offer (other body): %d", code)
	}
	if c := economyCounts(t, e); c != [2]int64{1, 1} {
		t.Fatalf("a duplicate Offer id changed the ledger: %v", c)
	}
}

// TestInboxAppealFromAuthorOnly: a remote community's appeal (for a local
// beneficiary) is kept and refreshed by its author's Update; an Update or an
// Accept by anyone else changes nothing.
func TestInboxAppealFromAuthorOnly(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	uri := e.rem.URL() + "/groups/g/appeals/1"
	appeal := func(author, raised string) map[string]any {
		return map[string]any{"id": uri, "type": "Note", "attributedTo": author, "name": "Seeds for all",
			"content": "<p>€10 of €100 raised</p>", "to": []string{asPublic}, "endTime": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339),
			"commonsType": "FundingAppeal", "fundingGoal": quantity("100.00", "EUR"), "amountRaised": quantity(raised, "EUR"),
			"amountPledged": quantity("20.00", "EUR"), "pledgeCount": 2, "appealStatus": "open", "beneficiary": []string{e.ada}}
	}
	e.setup(e.g, e.act("Create", e.g, "object", appeal(e.g, "10.00")))
	a, err := e.inst.App.Store.AppealByURI(ctx, uri)
	if err != nil || a.RemoteRaised != 1000 || a.Local || a.Title != "Seeds for all" {
		t.Fatalf("remote appeal %+v, %v", a, err)
	}
	raisedIs := func(want int64) func(t *testing.T, e *inboxEnv) {
		return func(t *testing.T, e *inboxEnv) {
			a, _ := e.inst.App.Store.AppealByURI(ctx, uri)
			if a.RemoteRaised != want {
				t.Errorf("raised %d, want %d", a.RemoteRaised, want)
			}
		}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "update attributed to the author, sent by x", status: 403, reason: "attributed",
			doc: func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", appeal(e.g, "90.00")) }, check: raisedIs(1000)},
		{name: "update of the author's appeal by x as its own", status: 202, state: "failed", reason: "only an appeal's author",
			doc: func(e *inboxEnv) map[string]any { return e.act("Update", e.x, "object", appeal(e.x, "90.00")) }, check: raisedIs(1000)},
		{name: "update with a float total", status: 202, state: "failed", reason: "decimal string", signer: e.g,
			doc: func(e *inboxEnv) map[string]any {
				d := appeal(e.g, "90.00")
				d["amountRaised"] = map[string]any{"hasUnit": "one", "hasNumericalValue": 90.0, "currency": "EUR"}
				return e.act("Update", e.g, "object", d)
			}, check: raisedIs(1000)},
		{name: "update changing the goal once pledged", status: 202, state: "failed", reason: "goal does not change", signer: e.g,
			doc: func(e *inboxEnv) map[string]any {
				d := appeal(e.g, "90.00")
				d["fundingGoal"] = quantity("50.00", "EUR")
				return e.act("Update", e.g, "object", d)
			}, check: raisedIs(1000)},
	})
	e.setup(e.g, e.act("Update", e.g, "object", appeal(e.g, "75.00")))
	raisedIs(7500)(t, e)

	// our pledge to it: only the author may answer
	ada, _ := e.inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	p, err := e.inst.App.Svc.Economy.Pledge(ctx, ada, a.ID, service.PledgeInput{Amount: "5"})
	if err != nil || p.State != models.PledgePending {
		t.Fatalf("pledge to a remote appeal: %+v, %v", p, err)
	}
	state := func(want string) func(t *testing.T, e *inboxEnv) {
		return func(t *testing.T, e *inboxEnv) {
			got, _ := e.inst.App.Store.PledgeByURI(ctx, p.URI)
			if got.State != want {
				t.Errorf("pledge %s, want %s", got.State, want)
			}
		}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "accept by someone else", status: 202, state: "failed", reason: "only the appeal's author",
			doc: func(e *inboxEnv) map[string]any { return e.act("Accept", e.x, "object", p.URI) }, check: state(models.PledgePending)},
	})
	e.setup(e.g, e.act("Accept", e.g, "object", p.URI))
	state(models.PledgeAccepted)(t, e)
}
