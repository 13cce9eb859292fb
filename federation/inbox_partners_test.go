package federation_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// partnersEnv adds to inboxEnv a local community "seeds" (steward ada) and
// two remote Organizations o and o2 on the fake server, known here.
type partnersEnv struct {
	*inboxEnv
	seeds  *models.Actor
	o, o2  string
	oActor *models.Actor
}

func newPartnersEnv(t *testing.T) *partnersEnv {
	t.Helper()
	e := newInboxEnv(t)
	ctx := context.Background()
	ada, err := e.inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	seeds, _, err := e.inst.App.Svc.Communities.Create(ctx, ada, service.CommunityInput{Handle: "seeds", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	pe := &partnersEnv{inboxEnv: e, seeds: seeds, o: e.rem.URL() + "/orgs/o", o2: e.rem.URL() + "/orgs/o2"}
	for _, id := range []string{pe.o, pe.o2} {
		var doc map[string]any
		if err := json.Unmarshal(actorDoc(id, e.rem.URL(), &e.rem.key.PublicKey), &doc); err != nil {
			t.Fatal(err)
		}
		doc["type"] = "Organization"
		e.rem.Serve(strings.TrimPrefix(id, e.rem.URL()), mustJSON(t, doc))
		a, err := e.inst.App.Svc.Social.ResolveActor(ctx, id)
		if err != nil || a.Type != models.ActorOrganization {
			t.Fatalf("resolve %s: %+v %v", id, a, err)
		}
		if id == pe.o {
			pe.oActor = a
		}
	}
	if _, err := e.inst.App.Svc.Social.ResolveActor(ctx, e.g); err != nil {
		t.Fatal(err)
	}
	return pe
}

// partnershipOffer is actor's Offer{Agreement} asking target to recognise it,
// with commitments (each a resourceQuantity) provided by provider.
func (e *partnersEnv) partnershipOffer(actor, target, provider string, quantities ...map[string]any) map[string]any {
	var stip []any
	for _, q := range quantities {
		stip = append(stip, map[string]any{"type": "Commitment", "provider": provider, "receiver": target, "resourceQuantity": q})
	}
	id := e.id("offers")
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Offer", "actor": actor,
		"to": []string{target}, "target": target, "object": map[string]any{"id": id + "#agreement", "type": "Agreement",
			"commonsType": "Partnership", "content": "<p>We give back.</p>", "commons:reciprocityTerms": "100 € and 10 hours a month",
			"stipulates": stip}}
}

func (e *partnersEnv) partnerships(t *testing.T) []models.Partnership {
	t.Helper()
	var list []models.Partnership
	if err := e.inst.App.Store.DB.Order("created_at, id").Find(&list).Error; err != nil {
		t.Fatal(err)
	}
	return list
}

// rejects counts the Rejects of partnership Offers the fake server received.
func (e *partnersEnv) rejects() int {
	n := 0
	for _, p := range e.rem.Posts() {
		if b := string(p.Body); strings.Contains(b, `"type":"Reject"`) && strings.Contains(b, `"Partnership"`) {
			n++
		}
	}
	return n
}

var (
	hours10 = map[string]any{"hasUnit": "hour", "hasNumericalValue": "10"}
	eur100  = map[string]any{"hasUnit": "one", "hasNumericalValue": "100.00", "currency": "EUR"}
)

// TestInboxPartnershipOffer: a remote organization's request to be
// recognised by a local community is recorded with its structured terms;
// every bad one changes nothing.
func TestInboxPartnershipOffer(t *testing.T) {
	e := newPartnersEnv(t)
	none := func(t *testing.T, _ *inboxEnv) {
		if n := len(e.partnerships(t)); n != 0 {
			t.Errorf("%d partnerships after a refused request", n)
		}
	}
	seeds := func() string { return e.seeds.URI }
	runInboxCases(t, e.inboxEnv, []inboxCase{
		{name: "by a person", signer: e.x, status: 202, state: "failed", reason: "only an organization", check: none,
			doc: func(_ *inboxEnv) map[string]any { return e.partnershipOffer(e.x, seeds(), e.x, eur100) }},
		{name: "provider is not the actor", signer: e.o, status: 202, state: "failed", reason: "provider", check: none,
			doc: func(_ *inboxEnv) map[string]any { return e.partnershipOffer(e.o, seeds(), e.o2, eur100) }},
		{name: "hours as a JSON number", signer: e.o, status: 202, state: "failed", reason: "hours", check: none,
			doc: func(_ *inboxEnv) map[string]any {
				return e.partnershipOffer(e.o, seeds(), e.o, map[string]any{"hasUnit": "hour", "hasNumericalValue": 10})
			}},
		{name: "over-precise amount", signer: e.o, status: 202, state: "failed", reason: "amount", check: none,
			doc: func(_ *inboxEnv) map[string]any {
				return e.partnershipOffer(e.o, seeds(), e.o, map[string]any{"hasUnit": "one", "hasNumericalValue": "1.001", "currency": "EUR"})
			}},
		{name: "percent above 100", signer: e.o, status: 202, state: "failed", reason: "revenue", check: none,
			doc: func(_ *inboxEnv) map[string]any {
				return e.partnershipOffer(e.o, seeds(), e.o, map[string]any{"hasUnit": "percent", "hasNumericalValue": "150"})
			}},
		{name: "target is not a local community", signer: e.o, status: 202, state: "failed", reason: "no community", check: none,
			doc: func(_ *inboxEnv) map[string]any { return e.partnershipOffer(e.o, e.ada, e.o, eur100) }},
		{name: "agreement off the actor's host", signer: e.o, status: 400, reason: "not on the actor's host",
			doc: func(_ *inboxEnv) map[string]any {
				d := e.partnershipOffer(e.o, seeds(), e.o, eur100)
				d["object"].(map[string]any)["id"] = "https://elsewhere.example/agreements/1"
				return d
			}},
		{name: "a good request", signer: e.o, status: 202, state: "processed", changes: true,
			doc: func(_ *inboxEnv) map[string]any {
				return e.partnershipOffer(e.o, seeds(), e.o, eur100, hours10, map[string]any{"hasUnit": "percent", "hasNumericalValue": "2.5"})
			},
			check: func(t *testing.T, _ *inboxEnv) {
				list := e.partnerships(t)
				if len(list) != 1 {
					t.Fatalf("partnerships %+v", list)
				}
				p := list[0]
				if p.State != models.PartnershipRequested || p.OrganizationID != e.oActor.ID || p.CommunityID != e.seeds.ID ||
					p.OfferURI == nil || p.Pledge != "We give back." || p.Terms != "100 € and 10 hours a month" ||
					p.TermsMinor != 10000 || p.TermsCurrency != "EUR" || p.TermsHours != 10 || p.TermsPercentBP != 250 {
					t.Fatalf("stored %+v", p)
				}
			}},
		{name: "a second request while one is open", signer: e.o, status: 202, state: "failed", reason: "already asked", changes: true,
			doc: func(_ *inboxEnv) map[string]any { return e.partnershipOffer(e.o, seeds(), e.o, hours10) },
			check: func(t *testing.T, _ *inboxEnv) {
				if n := len(e.partnerships(t)); n != 1 {
					t.Errorf("%d partnerships", n)
				}
			}},
	})
	// refused for what they say (not the forged provider or the wrong target):
	// each is answered with a Reject giving the reason
	eventually(t, "the refusals are answered with Reject", func() bool { return e.rejects() == 5 })
}

// TestPartnershipOfferDecided: a steward's decision on a remote request
// answers the organization: Accept, Follow and Add on recognition.
func TestPartnershipOfferDecided(t *testing.T) {
	e := newPartnersEnv(t)
	ctx := context.Background()
	e.setup(e.o, e.partnershipOffer(e.o, e.seeds.URI, e.o, hours10))
	list := e.partnerships(t)
	if len(list) != 1 {
		t.Fatalf("partnerships %+v", list)
	}
	ada, _ := e.inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if _, err := e.inst.App.Svc.Economy.DecidePartnership(ctx, ada, list[0].ID, true); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`"Accept"`: false, `"Follow"`: false, `"Add"`: false}
	eventually(t, "Accept, Follow and Add reach the organization", func() bool {
		for _, p := range e.rem.Posts() {
			for k := range want {
				if strings.Contains(string(p.Body), `"type":`+k) && strings.Contains(string(p.Body), e.o) {
					want[k] = true
				}
			}
		}
		return want[`"Accept"`] && want[`"Follow"`] && want[`"Add"`]
	})
	// the organization leaves: its Remove of itself from the partners
	e.setup(e.o, e.act("Remove", e.o, "object", e.o, "target", e.seeds.URI+"/partners"))
	got, err := e.inst.App.Store.PartnershipByID(ctx, list[0].ID)
	if err != nil || got.State != models.PartnershipEnded || got.EndedByID != e.oActor.ID {
		t.Fatalf("after the organization's Remove: %+v %v", got, err)
	}
}

// TestInboxRemotePartners: a remote Group's Add and Remove on its own
// partners collection are recorded; nobody else's, and nothing else.
func TestInboxRemotePartners(t *testing.T) {
	e := newPartnersEnv(t)
	g := func() string { return e.g }
	active := func(n int) func(t *testing.T, _ *inboxEnv) {
		return func(t *testing.T, _ *inboxEnv) {
			got := 0
			for _, p := range e.partnerships(t) {
				if p.State == models.PartnershipActive {
					got++
				}
			}
			if got != n {
				t.Errorf("%d active partnerships, want %d", got, n)
			}
		}
	}
	runInboxCases(t, e.inboxEnv, []inboxCase{
		{name: "add by someone other than the Group", signer: e.x, status: 202, state: "failed", reason: "own partners", check: active(0),
			doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.x, "object", e.o, "target", g()+"/partners") }},
		{name: "add by the organization itself", signer: e.o, status: 202, state: "failed", reason: "own partners", check: active(0),
			doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.o, "object", e.o, "target", g()+"/partners") }},
		{name: "target another group's partners", signer: e.g, status: 202, state: "failed", reason: "own partners", check: active(0),
			doc: func(_ *inboxEnv) map[string]any {
				return e.act("Add", e.g, "object", e.o, "target", e.rem.URL()+"/groups/other/partners")
			}},
		{name: "target not the partners collection", signer: e.g, status: 202, state: "ignored", check: active(0),
			doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.g, "object", e.o, "target", g()+"/featured") }},
		{name: "add a person", signer: e.g, status: 202, state: "failed", reason: "not an organization", check: active(0),
			doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.g, "object", e.x, "target", g()+"/partners") }},
		{name: "activity id off the Group's host", signer: e.g, status: 400, reason: "not on the actor's host",
			doc: func(_ *inboxEnv) map[string]any {
				d := e.act("Add", e.g, "object", e.o, "target", g()+"/partners")
				d["id"] = "https://elsewhere.example/adds/1"
				return d
			}},
		{name: "remove of a non-partner", signer: e.g, status: 202, state: "failed", reason: "not a partner", check: active(0),
			doc: func(_ *inboxEnv) map[string]any {
				return e.act("Remove", e.g, "object", e.o2, "target", g()+"/partners")
			}},
		{name: "the Group adds o", signer: e.g, status: 202, state: "processed", changes: true, check: active(1),
			doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.g, "object", e.o, "target", g()+"/partners") }},
		{name: "a duplicate Add changes nothing", signer: e.g, status: 202, state: "processed", check: func(t *testing.T, ie *inboxEnv) {
			active(1)(t, ie)
			if n := len(e.partnerships(t)); n != 1 {
				t.Errorf("%d partnership rows", n)
			}
		}, doc: func(_ *inboxEnv) map[string]any { return e.act("Add", e.g, "object", e.o, "target", g()+"/partners") }},
		{name: "a local Remove by the organization of someone else", signer: e.o, status: 202, state: "failed", reason: "only this instance",
			doc: func(_ *inboxEnv) map[string]any {
				return e.act("Remove", e.o, "object", e.o2, "target", e.seeds.URI+"/partners")
			}},
		{name: "the Group removes o", signer: e.g, status: 202, state: "processed", changes: true, check: active(0),
			doc: func(_ *inboxEnv) map[string]any {
				return e.act("Remove", e.g, "object", e.o, "target", g()+"/partners")
			}},
	})
	// the remote community's partners, as shown here
	gActor, err := e.inst.App.Store.ActorByURI(context.Background(), e.g)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := e.inst.App.Svc.Economy.CommunityPartnerships(context.Background(), gActor, models.PartnershipEnded, 10, 0)
	if err != nil || len(ended) != 1 || ended[0].Organization.URI != e.o {
		t.Fatalf("the remote community's ended partnerships: %+v %v", ended, err)
	}
}
