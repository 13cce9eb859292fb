package governance_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

var status = servicetest.Status

// recorder stands in for the federation edge (servicetest.Recorder).
type recorder = servicetest.Recorder

// jobs stands in for the queue (servicetest.Jobs).
type jobs = servicetest.Jobs

type fixture struct {
	ctx   context.Context
	s     *service.Service
	st    *store.Store
	pub   *recorder
	jobs  *jobs
	now   time.Time
	group *models.Actor
	// members of the community (local): founder (steward), alice, bob, carol
	founder, alice, bob, carol *models.Actor
	rita                       *models.Actor // remote, active member
	outsider                   *models.Actor // local, not a member
	stranger                   *models.Actor // remote, not a member
}

func newFixture(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), st: st}
	f.now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f.s, f.pub, f.jobs = servicetest.Wired(t, st, &f.now)
	root, rootActor := f.user(t, "founder")
	f.founder = rootActor
	g, _, err := f.s.Communities.Create(f.ctx, root, service.CommunityInput{Handle: "coop", Licence: "CC-BY-SA-4.0", MembershipPolicy: "approval"})
	if err != nil {
		t.Fatal(err)
	}
	f.group = g
	_, f.alice = f.user(t, "alice")
	_, f.bob = f.user(t, "bob")
	_, f.carol = f.user(t, "carol")
	_, f.outsider = f.user(t, "outsider")
	f.rita = f.remote(t, "rita")
	f.stranger = f.remote(t, "stranger")
	for _, a := range []*models.Actor{f.alice, f.bob, f.carol, f.rita} {
		f.member(t, a)
	}
	f.pub.Out = nil // what the setup sent
	return f
}

func (f *fixture) user(t testing.TB, name string) (*models.User, *models.Actor) {
	t.Helper()
	u, err := f.s.Accounts.SignUp(f.ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Accounts.ActorOf(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return u, a
}

func (f *fixture) remote(t testing.TB, name string) *models.Actor {
	t.Helper()
	base := "https://remote.example/users/" + name
	a := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: name, Domain: "remote.example", URI: base,
		InboxURI: base + "/inbox", FollowersURI: base + "/followers"}
	if err := f.st.CreateActor(f.ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// member makes a an active member (asked and approved by the founder).
func (f *fixture) member(t testing.TB, a *models.Actor) {
	t.Helper()
	m := f.request(t, a)
	if _, err := f.s.Communities.DecideMembership(f.ctx, f.founder, f.group, m.ID, true); err != nil {
		t.Fatal(err)
	}
}

// request records a's pending membership request.
func (f *fixture) request(t testing.TB, a *models.Actor) *models.Membership {
	t.Helper()
	uri := ""
	if !a.Local() {
		uri = a.URI + "/join/" + models.NewID()
	}
	m, err := f.s.Communities.Join(f.ctx, a, f.group, uri)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) propose(t testing.TB, by *models.Actor, in governance.ProposalInput) *models.Proposal {
	t.Helper()
	if in.Title == "" {
		in.Title = "Buy a seed drill"
	}
	p, err := f.s.Governance.Propose(f.ctx, by, f.group, in)
	if err != nil {
		t.Fatalf("Propose: %v", err)
	}
	return p
}

// closeAt moves the clock past p's end and closes it.
func (f *fixture) closeNow(t testing.TB, p *models.Proposal) *models.Proposal {
	t.Helper()
	f.now = p.ClosesAt.Add(time.Second)
	closed, err := f.s.Governance.Close(f.ctx, p.ID)
	if err != nil || !closed {
		t.Fatalf("Close = %v, %v", closed, err)
	}
	got, err := f.st.ProposalByID(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

type vote struct {
	who    string // alice, bob, carol, founder, outsider, rita, stranger
	option string
	status int // expected HTTP status of the error, 0 for none
}

func (f *fixture) actor(who string) *models.Actor {
	return map[string]*models.Actor{"founder": f.founder, "alice": f.alice, "bob": f.bob, "carol": f.carol,
		"outsider": f.outsider, "rita": f.rita, "stranger": f.stranger}[who]
}

func (f *fixture) cast(t testing.TB, p *models.Proposal, v vote) {
	t.Helper()
	a := f.actor(v.who)
	var err error
	if a.Local() {
		_, err = f.s.Governance.Vote(f.ctx, a, p.ID, v.option)
	} else {
		_, err = f.s.Governance.ReceiveVote(f.ctx, a, p.URI, v.option, a.URI+"/votes/"+models.NewID())
	}
	if status(err) != v.status {
		t.Fatalf("%s votes %q: %v (status %d), want status %d", v.who, v.option, err, status(err), v.status)
	}
}

// TestProposalTally runs whole proposals through Propose, Vote/ReceiveVote and
// Close on both databases. E = founder, alice, bob, carol, rita (5).
func TestProposalTally(t *testing.T) {
	cases := []struct {
		name     string
		in       governance.ProposalInput
		votes    []vote
		want     string
		yes, no  int64
		advisory int64
	}{
		{name: "majority passes with quorum",
			votes: []vote{{"alice", "Yes", 0}, {"bob", "Yes", 0}, {"rita", "No", 0}},
			want:  models.ProposalPassed, yes: 2, no: 1},
		{name: "quorum not met (1 of 5 < 1/3)",
			votes: []vote{{"alice", "Yes", 0}},
			want:  models.ProposalFailedNoQuorum, yes: 1},
		{name: "a tie fails",
			votes: []vote{{"alice", "Yes", 0}, {"bob", "No", 0}},
			want:  models.ProposalFailed, yes: 1, no: 1},
		{name: "non-members are advisory and never change the result",
			votes: []vote{{"alice", "Yes", 0}, {"bob", "No", 0}, {"outsider", "Yes", 0}, {"stranger", "Yes", 0}},
			want:  models.ProposalFailed, yes: 1, no: 1, advisory: 2},
		{name: "a local member's later vote replaces the earlier one",
			votes: []vote{{"alice", "No", 0}, {"bob", "Yes", 0}, {"alice", "Yes", 0}},
			want:  models.ProposalPassed, yes: 2},
		{name: "a remote voter's second vote is ignored",
			votes: []vote{{"rita", "No", 0}, {"rita", "Yes", 0}, {"alice", "Yes", 0}},
			want:  models.ProposalFailed, yes: 1, no: 1},
		{name: "unknown or mis-cased options are refused",
			votes: []vote{{"alice", "yes", 422}, {"rita", "Maybe", 422}, {"bob", "Yes", 0}, {"carol", "Yes", 0}},
			want:  models.ProposalPassed, yes: 2},
		{name: "supermajority 2/3 of cast reached exactly",
			in:    governance.ProposalInput{Method: "supermajority"},
			votes: []vote{{"alice", "Yes", 0}, {"bob", "Yes", 0}, {"carol", "No", 0}},
			want:  models.ProposalPassed, yes: 2, no: 1},
		{name: "supermajority 3/4 missed",
			in:    governance.ProposalInput{Method: "supermajority", ThresholdNum: 3, ThresholdDen: 4},
			votes: []vote{{"alice", "Yes", 0}, {"bob", "Yes", 0}, {"carol", "No", 0}},
			want:  models.ProposalFailed, yes: 2, no: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				p := f.propose(t, f.alice, tc.in)
				for _, v := range tc.votes {
					f.cast(t, p, v)
				}
				got := f.closeNow(t, p)
				if got.State != tc.want {
					t.Fatalf("state %s (%s), want %s", got.State, got.Outcome, tc.want)
				}
				var tally map[string]int64
				if err := json.Unmarshal([]byte(got.Tally), &tally); err != nil {
					t.Fatal(err)
				}
				if tally["Yes"] != tc.yes || tally["No"] != tc.no {
					t.Fatalf("tally %v, want Yes %d No %d", tally, tc.yes, tc.no)
				}
				v, err := f.s.Governance.Get(f.ctx, nil, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				var adv int64
				for _, n := range v.Advisory {
					adv += n
				}
				if adv != tc.advisory || v.Eligible != 5 {
					t.Fatalf("advisory %d, eligible %d; want %d, 5", adv, v.Eligible, tc.advisory)
				}
				// After close: votes are refused and nothing changes.
				f.cast(t, p, vote{"carol", "Yes", 409})
				f.cast(t, p, vote{"rita", "Yes", 409})
				if again, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || again {
					t.Fatalf("second Close = %v, %v", again, err)
				}
				after, _ := f.st.ProposalByID(f.ctx, p.ID)
				if after.State != got.State || after.Tally != got.Tally {
					t.Fatalf("changed after close: %s %s", after.State, after.Tally)
				}
			})
		})
	}
}

// TestElectorateFrozen: someone who becomes a member after the proposal
// opened votes advisory; a member removed before the tally leaves E.
func TestElectorateFrozen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		f.member(t, f.outsider)
		f.cast(t, p, vote{"outsider", "Yes", 0})
		f.cast(t, p, vote{"bob", "Yes", 0})
		f.cast(t, p, vote{"carol", "No", 0})
		if err := f.s.Communities.Leave(f.ctx, f.bob, f.group); err != nil {
			t.Fatal(err)
		}
		got := f.closeNow(t, p)
		// E is now founder, alice, carol, rita (4): carol's ballot alone is
		// under the quorum of 1/3 (with bob's it would have met it).
		if got.State != models.ProposalFailedNoQuorum {
			t.Fatalf("state %s (%s)", got.State, got.Outcome)
		}
		v, _ := f.s.Governance.Get(f.ctx, nil, p.ID)
		if v.Eligible != 4 || v.Counts["Yes"] != 0 || v.Advisory["Yes"] != 1 {
			t.Fatalf("eligible %d, counts %v, advisory %v", v.Eligible, v.Counts, v.Advisory)
		}
	})
}

// TestProposeRules: who may propose and what is refused.
func TestProposeRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cases := []struct {
			name string
			by   *models.Actor
			in   governance.ProposalInput
			want int
		}{
			{"a non-member", f.outsider, governance.ProposalInput{Title: "x"}, 403},
			{"no title", f.alice, governance.ProposalInput{}, 422},
			{"unknown kind", f.alice, governance.ProposalInput{Title: "x", Kind: "dissolve"}, 422},
			{"unknown method", f.alice, governance.ProposalInput{Title: "x", Method: "sortition"}, 422},
			{"supermajority at one half", f.alice, governance.ProposalInput{Title: "x", Method: "supermajority", ThresholdNum: 1, ThresholdDen: 2}, 422},
			{"quorum above one", f.alice, governance.ProposalInput{Title: "x", QuorumNum: 3, QuorumDen: 2}, 422},
			{"closing in the past", f.alice, governance.ProposalInput{Title: "x", ClosesAt: f.now.Add(-time.Hour)}, 422},
			{"unknown args", f.alice, governance.ProposalInput{Title: "x", Args: json.RawMessage(`{"member":"bob"}`)}, 422},
			{"admit someone who did not ask", f.alice, governance.ProposalInput{Title: "x", Kind: "admit_member", Args: json.RawMessage(`{"member":"outsider"}`)}, 422},
			{"grant a role to a non-member", f.alice, governance.ProposalInput{Title: "x", Kind: "grant_role", Args: json.RawMessage(`{"member":"outsider","role":"maintainer"}`)}, 422},
			{"grant an unknown role", f.alice, governance.ProposalInput{Title: "x", Kind: "grant_role", Args: json.RawMessage(`{"member":"bob","role":"king"}`)}, 422},
			{"revoke a role nobody holds", f.alice, governance.ProposalInput{Title: "x", Kind: "revoke_role", Args: json.RawMessage(`{"member":"bob"}`)}, 422},
			{"amend the charter with a setting", f.alice, governance.ProposalInput{Title: "x", Kind: "amend_charter", Args: json.RawMessage(`{"charter":"c","summary":"s"}`)}, 422},
			{"change the charter as a setting", f.alice, governance.ProposalInput{Title: "x", Kind: "change_settings", Args: json.RawMessage(`{"charter":"c"}`)}, 422},
			{"change nothing", f.alice, governance.ProposalInput{Title: "x", Kind: "change_settings", Args: json.RawMessage(`{}`)}, 422},
			{"an unknown licence", f.alice, governance.ProposalInput{Title: "x", Kind: "amend_charter", Args: json.RawMessage(`{"licence":"mine"}`)}, 422},
			{"remove a non-member", f.alice, governance.ProposalInput{Title: "x", Kind: "remove_member", Args: json.RawMessage(`{"member":"outsider"}`)}, 422},
			{"accept an unknown contribution", f.alice, governance.ProposalInput{Title: "x", Kind: "accept_contribution", Args: json.RawMessage(`{"contribution":"nope"}`)}, 422},
			{"a lazy consensus shorter than 72 hours", f.alice, governance.ProposalInput{Title: "x", Method: "lazy_consensus", ClosesAt: f.now.Add(48 * time.Hour)}, 422},
			{"a support quorum on a bad kind", f.alice, governance.ProposalInput{Title: "x", QuorumKind: "presence"}, 422},
			{"Block on a majority", f.alice, governance.ProposalInput{Title: "x", Block: true}, 422},
			{"an unknown ballot mode", f.alice, governance.ProposalInput{Title: "x", BallotMode: "secret"}, 422},
		}
		for _, tc := range cases {
			_, err := f.s.Governance.Propose(f.ctx, tc.by, f.group, tc.in)
			if status(err) != tc.want {
				t.Errorf("%s: %v (status %d), want %d", tc.name, err, status(err), tc.want)
			}
		}
		list, err := f.s.Governance.List(f.ctx, f.group, 10, 0)
		if err != nil || len(list) != 0 || len(f.jobs.Scheduled) != 0 {
			t.Fatalf("refused proposals left %d rows, %d jobs (%v)", len(list), len(f.jobs.Scheduled), err)
		}
		p := f.propose(t, f.alice, governance.ProposalInput{})
		if len(f.jobs.Scheduled) != 1 || f.jobs.Scheduled[0].(governance.CloseJob).ProposalID != p.ID || !f.jobs.At[0].Equal(p.ClosesAt) {
			t.Fatalf("close job %v at %v", f.jobs.Scheduled, f.jobs.At)
		}
	})
}

// TestWithdraw: the author or a steward, before close; a withdrawn proposal
// takes no votes and its close job does nothing.
func TestWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		if _, err := f.s.Governance.Withdraw(f.ctx, f.bob, p.ID); status(err) != 403 {
			t.Fatalf("bob withdraws alice's proposal: %v", err)
		}
		got, err := f.s.Governance.Withdraw(f.ctx, f.founder, p.ID) // a steward
		if err != nil || got.State != models.ProposalWithdrawn {
			t.Fatalf("steward withdraws: %v, %+v", err, got)
		}
		if _, err := f.s.Governance.Withdraw(f.ctx, f.alice, p.ID); status(err) != 409 {
			t.Fatalf("withdraw twice: %v", err)
		}
		f.cast(t, p, vote{"alice", "Yes", 409})
		f.now = p.ClosesAt.Add(time.Minute)
		if closed, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || closed {
			t.Fatalf("Close of a withdrawn proposal = %v, %v", closed, err)
		}
	})
}

// TestCloseEarlyReschedules: a close job run before the end time decides
// nothing and schedules itself again.
func TestCloseEarlyReschedules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		if closed, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || closed {
			t.Fatalf("early Close = %v, %v", closed, err)
		}
		if got, _ := f.st.ProposalByID(f.ctx, p.ID); got.State != models.ProposalOpen || len(f.jobs.Scheduled) != 2 {
			t.Fatalf("state %s, %d jobs", got.State, len(f.jobs.Scheduled))
		}
	})
}

// TestCloseRace: two workers closing the same proposal at once decide it once.
func TestCloseRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		bobURI := f.bob.URI
		p := f.propose(t, f.alice, governance.ProposalInput{Kind: "grant_role",
			Args: json.RawMessage(`{"member":"` + bobURI + `","role":"maintainer"}`)})
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"bob", "Yes", 0})
		f.now = p.ClosesAt.Add(time.Second)
		var wg sync.WaitGroup
		results := make([]bool, 2)
		errsOut := make([]error, 2)
		for i := range results {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				results[i], errsOut[i] = f.s.Governance.Close(f.ctx, p.ID)
			}(i)
		}
		wg.Wait()
		n := 0
		for i := range results {
			if errsOut[i] != nil {
				t.Fatalf("Close %d: %v", i, errsOut[i])
			}
			if results[i] {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d closes decided the proposal, want 1", n)
		}
		if adds := f.pub.Sent(core.TypeAdd); adds != 1 {
			t.Fatalf("%d Add{moderators} sent, want 1", adds)
		}
		m, _ := f.st.Membership(f.ctx, f.group.ID, f.bob.ID)
		if m.Role != models.RoleCommunityMaintainer {
			t.Fatalf("bob's role %s", m.Role)
		}
	})
}

// TestEffects: each kind's effect happens when its proposal passes, and
// nothing happens when it fails.
func TestEffects(t *testing.T) {
	cases := []struct {
		name   string
		pass   bool
		setup  func(t *testing.T, f *fixture) governance.ProposalInput
		check  func(t *testing.T, f *fixture, passed bool)
		sentAs string
	}{
		{name: "admit member (remote applicant)", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			f.request(t, f.stranger)
			return governance.ProposalInput{Kind: "admit_member", Args: json.RawMessage(`{"member":"stranger@remote.example"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			m, err := f.st.Membership(f.ctx, f.group.ID, f.stranger.ID)
			want := models.MembershipPending
			if passed {
				want = models.MembershipActive
			}
			if err != nil || m.State != want {
				t.Fatalf("membership %+v (%v), want %s", m, err, want)
			}
		}, sentAs: core.TypeAccept},
		{name: "grant role", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Kind: "grant_role", Args: json.RawMessage(`{"member":"carol","role":"steward"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			m, _ := f.st.Membership(f.ctx, f.group.ID, f.carol.ID)
			want := models.RoleCommunityMember
			if passed {
				want = models.RoleCommunitySteward
			}
			if m.Role != want {
				t.Fatalf("carol is %s, want %s", m.Role, want)
			}
		}, sentAs: core.TypeAdd},
		{name: "revoke role", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			if _, err := f.s.Communities.SetRole(f.ctx, f.founder, f.group, f.rita, models.RoleCommunityMaintainer); err != nil {
				t.Fatal(err)
			}
			f.pub.Out = nil
			return governance.ProposalInput{Kind: "revoke_role", Args: json.RawMessage(`{"member":"` + f.rita.URI + `"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			m, _ := f.st.Membership(f.ctx, f.group.ID, f.rita.ID)
			want := models.RoleCommunityMaintainer
			if passed {
				want = models.RoleCommunityMember
			}
			if m.Role != want {
				t.Fatalf("rita is %s, want %s", m.Role, want)
			}
		}, sentAs: core.TypeRemove},
		{name: "remove member", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Kind: "remove_member", Method: "majority", QuorumNum: 1, QuorumDen: 3, Args: json.RawMessage(`{"member":"` + f.rita.URI + `"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			_, err := f.st.Membership(f.ctx, f.group.ID, f.rita.ID)
			if passed == (err == nil) {
				t.Fatalf("rita's membership after the vote: %v (passed %v)", err, passed)
			}
		}, sentAs: core.TypeRemove},
		{name: "accept contribution", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			co, err := f.s.Communities.Offer(f.ctx, f.carol, f.group, service.ContributionInput{Title: "Seed list", Body: "x", Kind: "knowledge", Licence: "CC-BY-SA-4.0"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			f.pub.Out = nil
			return governance.ProposalInput{Kind: "accept_contribution", Args: json.RawMessage(`{"contribution":"` + co.ID + `"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			list, _, err := f.s.Communities.Ledger(f.ctx, f.group, 10, 0)
			if err != nil || (len(list) == 1) != passed {
				t.Fatalf("ledger %d entries (%v), passed %v", len(list), err, passed)
			}
		}, sentAs: core.TypeAnnounce},
		{name: "amend charter", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Kind: "amend_charter", Method: "majority", QuorumNum: 1, QuorumDen: 3,
				Args: json.RawMessage(`{"charter":"We share seeds."}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			versions, err := f.st.CharterVersions(f.ctx, f.group.ID)
			if err != nil || (len(versions) == 2) != passed {
				t.Fatalf("%d charter versions (%v), passed %v", len(versions), err, passed)
			}
			groupUpdates := 0
			for _, o := range f.pub.Out {
				if _, ok := o.Object.(service.GroupObject); ok && o.Type == core.TypeUpdate {
					groupUpdates++
					if o.Context == "" {
						t.Fatal("Update{Group} without the proposal as context")
					}
				}
			}
			if (groupUpdates == 1) != passed {
				t.Fatalf("%d Update{Group}, passed %v", groupUpdates, passed)
			}
		}},
		{name: "change settings", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Kind: "change_settings", Method: "majority", QuorumNum: 1, QuorumDen: 3, Args: json.RawMessage(`{"membership_policy":"open","summary":"Seeds"}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			com, err := f.st.CommunityByActorID(f.ctx, f.group.ID)
			if err != nil || (com.MembershipPolicy == "open") != passed {
				t.Fatalf("membership policy %q (%v), passed %v", com.MembershipPolicy, err, passed)
			}
		}},
		{name: "change governance settings", setup: func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Kind: "change_governance_settings", Method: "majority", QuorumNum: 1, QuorumDen: 3,
				Args: json.RawMessage(`{"who_may_propose":"stewards","entrenched":true}`)}
		}, check: func(t *testing.T, f *fixture, passed bool) {
			s, err := f.s.Governance.Settings(f.ctx, f.group)
			if err != nil || s.Entrenched != passed || (s.WhoMayPropose == models.ProposersStewards) != passed {
				t.Fatalf("settings %+v (%v), passed %v", s, err, passed)
			}
		}},
	}
	for _, tc := range cases {
		for _, pass := range []bool{true, false} {
			name := tc.name + map[bool]string{true: " passes", false: " fails"}[pass]
			t.Run(name, func(t *testing.T) {
				storetest.Each(t, func(t *testing.T, st *store.Store) {
					f := newFixture(t, st)
					p := f.propose(t, f.alice, tc.setup(t, f))
					option := "No"
					if pass {
						option = "Yes"
					}
					f.cast(t, p, vote{"alice", option, 0})
					f.cast(t, p, vote{"bob", option, 0})
					got := f.closeNow(t, p)
					wantState := models.ProposalFailed
					if pass {
						wantState = models.ProposalPassed
					}
					if got.State != wantState {
						t.Fatalf("state %s (%s)", got.State, got.Outcome)
					}
					tc.check(t, f, pass)
					wantSent := 0
					if pass {
						wantSent = 1
					}
					if n := f.pub.Sent(tc.sentAs); tc.sentAs != "" && n != wantSent {
						t.Fatalf("%d %s sent, want %d", n, tc.sentAs, wantSent)
					}
					for _, o := range f.pub.Out {
						if o.Type == tc.sentAs && o.Context != p.URI {
							t.Fatalf("the effect's %s has context %q, want the proposal", o.Type, o.Context)
						}
					}
				})
			})
		}
	}
}

// TestEffectNoLongerPossible: a passed admission whose request was answered
// meanwhile still passes, changes nothing and says why.
func TestEffectNoLongerPossible(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		m := f.request(t, f.stranger)
		p := f.propose(t, f.alice, governance.ProposalInput{Kind: "admit_member", Args: json.RawMessage(`{"member":"` + f.stranger.URI + `"}`)})
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"bob", "Yes", 0})
		if _, err := f.s.Communities.DecideMembership(f.ctx, f.founder, f.group, m.ID, false); err != nil {
			t.Fatal(err)
		}
		got := f.closeNow(t, p)
		if got.State != models.ProposalPassed || f.pub.Sent(core.TypeAccept) != 0 {
			t.Fatalf("state %s, %d Accept", got.State, f.pub.Sent(core.TypeAccept))
		}
		if _, err := f.st.Membership(f.ctx, f.group.ID, f.stranger.ID); err == nil {
			t.Fatal("a refused request became a membership")
		}
		if want := "could not be carried out"; !contains(got.Outcome, want) {
			t.Fatalf("outcome %q lacks %q", got.Outcome, want)
		}
	})
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

// TestWireOrder: opening sends Create{Question} to followers and the remote
// members; closing sends Update{Question} (closed, final tallies), the
// effect's activities, then the outcome note in reply to the Question.
func TestWireOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.request(t, f.stranger)
		f.pub.Out = nil
		p := f.propose(t, f.alice, governance.ProposalInput{Kind: "admit_member", Args: json.RawMessage(`{"member":"` + f.stranger.URI + `"}`)})
		if len(f.pub.Out) != 1 {
			t.Fatalf("%d activities at opening", len(f.pub.Out))
		}
		open := f.pub.Out[0]
		q, ok := open.Object.(service.QuestionObject)
		if open.Type != core.TypeCreate || !ok || open.Actor.ID != f.group.ID || !open.ToFollowers || q.Proposal.ID != p.ID {
			t.Fatalf("opening sent %s %T", open.Type, open.Object)
		}
		if len(open.Recipients) != 1 || open.Recipients[0].ID != f.rita.ID {
			t.Fatalf("Create{Question} recipients %v, want rita (the remote member)", open.Recipients)
		}
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"rita", "Yes", 0})
		f.cast(t, p, vote{"stranger", "No", 0}) // advisory
		f.pub.Out = nil
		f.closeNow(t, p)
		var types []string
		for _, o := range f.pub.Out {
			types = append(types, o.Type)
		}
		if len(types) != 3 || types[0] != core.TypeUpdate || types[1] != core.TypeAccept || types[2] != core.TypeCreate {
			t.Fatalf("close sent %v, want Update, Accept, Create", types)
		}
		upd := f.pub.Out[0].Object.(service.QuestionObject)
		if upd.Proposal.ClosedAt == nil || upd.Counts["Yes"] != 2 || upd.Voters != 2 {
			t.Fatalf("Update{Question}: closed %v, counts %v, voters %d", upd.Proposal.ClosedAt, upd.Counts, upd.Voters)
		}
		recipients := map[string]bool{}
		for _, r := range f.pub.Out[0].Recipients {
			recipients[r.ID] = true
		}
		if !recipients[f.rita.ID] || !recipients[f.stranger.ID] {
			t.Fatalf("Update{Question} misses a remote voter: %v", f.pub.Out[0].Recipients)
		}
		note, ok := f.pub.Out[2].Object.(service.OutcomeObject)
		if !ok || note.Note.InReplyToURI != p.URI || note.Author.ID != f.group.ID || !contains(note.Note.Content, "Passed") {
			t.Fatalf("outcome %T %+v", f.pub.Out[2].Object, note.Note)
		}
		if note.Fields["result"] != models.ProposalPassed || note.Fields["decides"] != p.URI || note.Fields["eligible"] != int64(5) {
			t.Fatalf("outcome fields %v", note.Fields)
		}
		if f.pub.Out[1].Context != p.URI || f.pub.Out[0].Context != "" {
			t.Fatalf("the effect's Accept does not carry the proposal as context")
		}
		if _, err := f.st.NoteByURI(f.ctx, note.Note.URI); err != nil {
			t.Fatalf("the outcome note is not stored: %v", err)
		}
	})
}

// TestReceiveUnvote: a remote voter's Undo before close withdraws their
// ballot (and they may vote again); nobody else's vote can be undone, and
// after close the vote stands.
func TestReceiveUnvote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		firstVote := f.rita.URI + "#votes/1"
		if _, err := f.s.Governance.ReceiveVote(f.ctx, f.rita, p.URI, "No", firstVote); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Governance.ReceiveUnvote(f.ctx, f.stranger, firstVote); status(err) != 404 {
			t.Fatalf("stranger undoes rita's vote: %v", err)
		}
		if err := f.s.Governance.ReceiveUnvote(f.ctx, f.rita, firstVote); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.s.Governance.Get(f.ctx, nil, p.ID); v.Cast != 0 {
			t.Fatalf("cast %d after the undo", v.Cast)
		}
		again := f.rita.URI + "#votes/2"
		if _, err := f.s.Governance.ReceiveVote(f.ctx, f.rita, p.URI, "Yes", again); err != nil {
			t.Fatal(err)
		}
		f.cast(t, p, vote{"alice", "Yes", 0})
		got := f.closeNow(t, p)
		if got.State != models.ProposalPassed {
			t.Fatalf("state %s (%s)", got.State, got.Outcome)
		}
		if err := f.s.Governance.ReceiveUnvote(f.ctx, f.rita, again); status(err) != 409 {
			t.Fatalf("undo after close: %v", err)
		}
		if v, _ := f.s.Governance.Get(f.ctx, nil, p.ID); v.Counts["Yes"] != 2 {
			t.Fatalf("counts %v after a refused undo", v.Counts)
		}
	})
}

// TestTallyUpdateDebounced: however many votes arrive in a window, one
// Update{Question} goes out, carrying the tallies when it is sent; the next
// vote opens the next window.
func TestTallyUpdateDebounced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		tallyJobs := func() []governance.TallyJob {
			var out []governance.TallyJob
			for _, j := range f.jobs.Scheduled {
				if tj, ok := j.(governance.TallyJob); ok {
					out = append(out, tj)
				}
			}
			return out
		}
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"bob", "Yes", 0})
		f.cast(t, p, vote{"rita", "No", 0})
		f.cast(t, p, vote{"outsider", "No", 0}) // advisory: no binding change
		if jobs := tallyJobs(); len(jobs) != 1 || jobs[0].ProposalID != p.ID {
			t.Fatalf("tally jobs %v, want one", jobs)
		}
		f.pub.Out = nil
		for i := 0; i < 2; i++ { // a job run twice sends once
			if err := f.s.Governance.RunTallyJob(f.ctx, tallyJobs()[0]); err != nil {
				t.Fatal(err)
			}
		}
		if len(f.pub.Out) != 1 || f.pub.Out[0].Type != core.TypeUpdate {
			t.Fatalf("%d activities, want one Update", len(f.pub.Out))
		}
		q := f.pub.Out[0].Object.(service.QuestionObject)
		if q.Counts["Yes"] != 2 || q.Counts["No"] != 1 || q.Voters != 3 || q.Proposal.ClosedAt != nil {
			t.Fatalf("Update{Question} counts %v voters %d", q.Counts, q.Voters)
		}
		f.cast(t, p, vote{"carol", "Abstain", 0})
		if jobs := tallyJobs(); len(jobs) != 2 {
			t.Fatalf("tally jobs %v after the next vote, want two", jobs)
		}
		// Closed before the job ran: the close sent the final tallies; the job sends nothing.
		f.closeNow(t, p)
		f.pub.Out = nil
		if err := f.s.Governance.RunTallyJob(f.ctx, tallyJobs()[1]); err != nil || len(f.pub.Out) != 0 {
			t.Fatalf("tally job after close: %v, %d activities", err, len(f.pub.Out))
		}
	})
}
