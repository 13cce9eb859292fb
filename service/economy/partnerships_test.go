package economy_test

import (
	"encoding/json"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func (f *fixture) actorOf(t *testing.T, u *models.User) *models.Actor {
	t.Helper()
	a, err := f.st.ActorByID(f.ctx, u.ActorID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) request(t *testing.T) *economy.Partnership {
	t.Helper()
	p, err := f.s.Economy.RequestPartnership(f.ctx, f.treasurer, economy.PartnershipInput{As: "seedfund", Community: "seeds",
		Pledge: "We fund the hosting of the seed library.", Terms: "5 % of revenue from the commons; 10 hours a month"})
	if err != nil {
		t.Fatalf("RequestPartnership: %v", err)
	}
	return p
}

// recogniseByProposal opens a recognise_partner proposal by alice (the
// founder steward), votes yes and closes it.
func (f *fixture) recogniseByProposal(t *testing.T, org string) *models.Proposal {
	t.Helper()
	alice := f.actorOf(t, f.alice)
	p, err := f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "recognise_partner",
		Title: "Recognise the Seed Fund", Args: json.RawMessage(`{"organization":"` + org + `"}`)})
	if err != nil {
		t.Fatalf("Propose: %v", err)
	}
	if _, err := f.s.Governance.Vote(f.ctx, alice, p.ID, "Yes"); err != nil {
		t.Fatalf("Vote: %v", err)
	}
	f.now = p.ClosesAt.Add(1)
	if closed, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || !closed {
		t.Fatalf("Close = %v, %v", closed, err)
	}
	got, err := f.st.ProposalByID(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// checkRecognised checks the Group follows the organization and the Add
// published on its partners collection, addressed publicly and to its
// followers.
func (f *fixture) checkRecognised(t *testing.T, proposalURI string) {
	t.Helper()
	if !f.s.Economy.IsPartner(f.ctx, f.group, f.fund) {
		t.Fatal("not a partner")
	}
	if fl, err := f.st.FollowByPair(f.ctx, f.group.ID, f.fund.ID); err != nil || fl.State != models.FollowAccepted {
		t.Errorf("the Group's follow of the organization = %+v, %v", fl, err)
	}
	var add *service.Outbound
	for _, o := range f.pub.Out {
		if o.Type == service.TypeAdd {
			add = o
		}
	}
	if add == nil {
		t.Fatalf("no Add published: %+v", f.pub.Out)
	}
	ref, _ := add.Object.(service.Ref)
	if add.Actor.ID != f.group.ID || ref.URI != f.fund.URI || add.Target != f.group.URI+"/partners" ||
		len(add.To) != 1 || add.To[0] != service.PublicCollection || !add.ToFollowers || add.Audience != f.group.URI {
		t.Errorf("Add = %+v", add)
	}
	if add.Context != proposalURI {
		t.Errorf("Add context = %q, want the proposal %q", add.Context, proposalURI)
	}
	list, err := f.s.Economy.PartnerActors(f.ctx, f.group, 10, 0)
	if err != nil || len(list) != 1 || list[0].ID != f.fund.ID {
		t.Errorf("partners = %v, %v", list, err)
	}
}

func TestPartnerships(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"steward accepts", func(t *testing.T, f *fixture) {
			p := f.request(t)
			if p.State != models.PartnershipRequested || p.Terms == "" {
				t.Fatalf("request = %+v", p)
			}
			got, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, true)
			if err != nil || got.State != models.PartnershipActive || got.DecidedByID != f.alice.ActorID {
				t.Fatalf("Decide = %+v, %v", got, err)
			}
			f.checkRecognised(t, "")
			if _, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, false); status(err) != 409 {
				t.Errorf("deciding twice: %v, want 409", err)
			}
		}},
		{"steward declines", func(t *testing.T, f *fixture) {
			p := f.request(t)
			got, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, false)
			if err != nil || got.State != models.PartnershipEnded {
				t.Fatalf("Decline = %+v, %v", got, err)
			}
			if f.pub.Sent(service.TypeAdd) != 0 || f.s.Economy.IsPartner(f.ctx, f.group, f.fund) {
				t.Error("a declined request made a partner")
			}
			f.request(t) // may ask again once declined
		}},
		{"proposal accepts the request", func(t *testing.T, f *fixture) {
			p := f.request(t)
			prop := f.recogniseByProposal(t, "seedfund")
			if prop.State != models.ProposalPassed {
				t.Fatalf("proposal %s: %s", prop.State, prop.Outcome)
			}
			got, err := f.s.Economy.PartnershipByID(f.ctx, p.ID)
			if err != nil || got.State != models.PartnershipActive || got.ProposalID != prop.ID || got.Pledge == "" {
				t.Fatalf("partnership = %+v, %v", got, err)
			}
			f.checkRecognised(t, prop.URI)
		}},
		{"proposal without a request", func(t *testing.T, f *fixture) {
			prop := f.recogniseByProposal(t, f.fund.URI)
			if prop.State != models.ProposalPassed {
				t.Fatalf("proposal %s: %s", prop.State, prop.Outcome)
			}
			f.checkRecognised(t, prop.URI)
			alice := f.actorOf(t, f.alice)
			_, err := f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "recognise_partner",
				Title: "Again", Args: json.RawMessage(`{"organization":"seedfund"}`)})
			if status(err) != 422 {
				t.Errorf("proposing an existing partner: %v, want 422", err)
			}
			_, err = f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "recognise_partner",
				Title: "A person", Args: json.RawMessage(`{"organization":"bob"}`)})
			if status(err) != 422 {
				t.Errorf("proposing a person: %v, want 422", err)
			}
		}},
		{"ended by the organization, then twice", func(t *testing.T, f *fixture) {
			p := f.request(t)
			if _, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, true); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.Economy.EndPartnership(f.ctx, f.treasurer, p.ID)
			if err != nil || got.State != models.PartnershipEnded || got.EndedByID != f.treasurer.ActorID {
				t.Fatalf("End = %+v, %v", got, err)
			}
			if f.s.Economy.IsPartner(f.ctx, f.group, f.fund) || f.pub.Sent(service.TypeRemove) != 1 {
				t.Errorf("still a partner, or %d Remove sent", f.pub.Sent(service.TypeRemove))
			}
			if _, err := f.st.FollowByPair(f.ctx, f.group.ID, f.fund.ID); err == nil {
				t.Error("the Group still follows the organization")
			}
			if _, err := f.s.Economy.EndPartnership(f.ctx, f.alice, p.ID); status(err) != 409 {
				t.Errorf("ending twice: %v, want 409", err)
			}
			if f.pub.Sent(service.TypeRemove) != 1 {
				t.Error("ending twice sent a second Remove")
			}
		}},
		{"ended by a steward", func(t *testing.T, f *fixture) {
			p := f.request(t)
			if _, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, true); err != nil {
				t.Fatal(err)
			}
			if got, err := f.s.Economy.EndPartnership(f.ctx, f.alice, p.ID); err != nil || got.State != models.PartnershipEnded {
				t.Fatalf("End = %+v, %v", got, err)
			}
			f.request(t) // may ask again once ended
		}},
		{"hostile", func(t *testing.T, f *fixture) {
			in := economy.PartnershipInput{As: "seedfund", Community: "seeds", Pledge: "We give back.", Terms: "10 hours a month"}
			if _, err := f.s.Economy.RequestPartnership(f.ctx, f.bob, in); status(err) != 403 {
				t.Errorf("a non-admin asking: %v, want 403", err)
			}
			bad := in
			bad.As = "bob"
			if _, err := f.s.Economy.RequestPartnership(f.ctx, f.bob, bad); status(err) != 422 {
				t.Errorf("a person asking: %v, want 422", err)
			}
			bad = in
			bad.Terms = " "
			if _, err := f.s.Economy.RequestPartnership(f.ctx, f.treasurer, bad); status(err) != 422 {
				t.Errorf("no measurable terms: %v, want 422", err)
			}
			p := f.request(t)
			if _, err := f.s.Economy.RequestPartnership(f.ctx, f.treasurer, in); status(err) != 409 {
				t.Errorf("a duplicate request: %v, want 409", err)
			}
			for _, u := range []*models.User{f.bob, f.treasurer} {
				if _, err := f.s.Economy.DecidePartnership(f.ctx, u, p.ID, true); status(err) != 403 {
					t.Errorf("%s deciding: %v, want 403", u.Username, err)
				}
			}
			if _, err := f.s.Economy.EndPartnership(f.ctx, f.bob, p.ID); status(err) != 403 {
				t.Errorf("a stranger ending: %v, want 403", err)
			}
			if f.s.Economy.IsPartner(f.ctx, f.group, f.fund) || len(f.pub.Out) != 0 {
				t.Errorf("hostile calls changed something: %+v", f.pub.Out)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				tc.run(t, newFixture(t, st))
			})
		})
	}
}
