package governance_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// reply stores a's note in reply to the proposal (a remote voter's reason,
// as it arrives from Mastodon).
func (f *fixture) reply(t *testing.T, a *models.Actor, p *models.Proposal, at time.Time) {
	t.Helper()
	id := models.NewID()
	n := &models.Note{ID: id, URI: a.URI + "/statuses/" + id, Type: "Note", AuthorID: a.ID, Content: "<p>Because.</p>",
		Visibility: models.VisibilityPublic, InReplyToURI: p.URI, Published: at}
	if err := f.st.CreateNote(f.ctx, n, nil); err != nil {
		t.Fatal(err)
	}
}

// TestObjections: under consent and lazy consensus only an objection with a
// reason (a reply to the proposal before close) counts; a Block blocks a
// supermajority; a blocked or failed proposal carries out nothing.
func TestObjections(t *testing.T) {
	cases := []struct {
		name  string
		in    governance.ProposalInput
		act   func(t *testing.T, f *fixture, p *models.Proposal)
		want  string
		count bool // a majority vote follows (escalation)
	}{
		{name: "consent, objection with a local reason blocks",
			in: governance.ProposalInput{Method: "consent"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Consent", 0})
				f.cast(t, p, vote{"bob", "Consent", 0})
				if _, err := f.s.Governance.Cast(f.ctx, f.carol, p.ID, []string{"Object"}, "It costs too much."); err != nil {
					t.Fatal(err)
				}
			}, want: models.ProposalBlocked},
		{name: "consent, objection without a reason does not block",
			in: governance.ProposalInput{Method: "consent"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Consent", 0})
				f.cast(t, p, vote{"rita", "Object", 0})
			}, want: models.ProposalPassed},
		{name: "consent, remote objection with a reply blocks",
			in: governance.ProposalInput{Method: "consent"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Consent", 0})
				f.cast(t, p, vote{"rita", "Object", 0})
				f.reply(t, f.rita, p, f.now)
			}, want: models.ProposalBlocked},
		{name: "consent, a reply after close is too late",
			in: governance.ProposalInput{Method: "consent"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Consent", 0})
				f.cast(t, p, vote{"rita", "Object", 0})
				f.reply(t, f.rita, p, p.ClosesAt.Add(time.Hour))
			}, want: models.ProposalPassed},
		{name: "consent, a non-member's objection is advisory",
			in: governance.ProposalInput{Method: "consent"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Consent", 0})
				f.cast(t, p, vote{"bob", "Consent", 0})
				f.cast(t, p, vote{"stranger", "Object", 0})
				f.reply(t, f.stranger, p, f.now)
			}, want: models.ProposalPassed},
		{name: "lazy consensus, silence passes",
			in:   governance.ProposalInput{Method: "lazy_consensus"},
			act:  func(t *testing.T, f *fixture, p *models.Proposal) {},
			want: models.ProposalPassed},
		{name: "lazy consensus, a valid objection fails it",
			in: governance.ProposalInput{Method: "lazy_consensus"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"rita", "Object", 0})
				f.reply(t, f.rita, p, f.now)
			}, want: models.ProposalFailed},
		{name: "lazy consensus escalates to a majority vote when the settings say so",
			in: governance.ProposalInput{Method: "lazy_consensus"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				if _, err := f.s.Governance.Cast(f.ctx, f.bob, p.ID, []string{"Object"}, "Let us vote on it."); err != nil {
					t.Fatal(err)
				}
			}, want: models.ProposalFailed, count: true},
		{name: "Block blocks a supermajority and the effect does not happen",
			in: governance.ProposalInput{Kind: "grant_role", Method: "supermajority", Block: true, Args: json.RawMessage(`{"member":"carol","role":"steward"}`)},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Yes", 0})
				f.cast(t, p, vote{"bob", "Yes", 0})
				f.cast(t, p, vote{"founder", "Yes", 0})
				f.cast(t, p, vote{"rita", "Block", 0})
			}, want: models.ProposalBlocked},
		{name: "Block is no option without block",
			in: governance.ProposalInput{Method: "supermajority"},
			act: func(t *testing.T, f *fixture, p *models.Proposal) {
				f.cast(t, p, vote{"alice", "Yes", 0})
				f.cast(t, p, vote{"bob", "Yes", 0})
				f.cast(t, p, vote{"rita", "Block", 422})
			}, want: models.ProposalPassed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				if tc.count {
					if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{LazyEscalation: "majority"}); err != nil {
						t.Fatal(err)
					}
				}
				p := f.propose(t, f.alice, tc.in)
				tc.act(t, f, p)
				f.pub.Out = nil
				got := f.closeNow(t, p)
				if got.State != tc.want {
					t.Fatalf("state %s (%s), want %s", got.State, got.Outcome, tc.want)
				}
				if got.State != models.ProposalPassed && (f.pub.Sent(core.TypeAdd) != 0 || f.pub.Sent(core.TypeAccept) != 0) {
					t.Fatal("a proposal that did not pass carried out its effect")
				}
				list, _ := f.s.Governance.List(f.ctx, f.group, 10, 0)
				var next *models.Proposal
				for i := range list {
					if list[i].EscalatedFrom == p.ID {
						next = &list[i]
					}
				}
				if tc.count != (next != nil) {
					t.Fatalf("escalated vote: %+v, want one: %v", next, tc.count)
				}
				if next != nil && (next.Method != governance.MethodMajority || next.State != models.ProposalOpen || f.pub.Sent(core.TypeCreate) < 2) {
					t.Fatalf("escalated vote %+v, %d Create", next, f.pub.Sent(core.TypeCreate))
				}
			})
		})
	}
}

// TestAnyOf: a choice with anyOf takes one ballot per voter per option
// (several Creates from Mastodon), the quorum counts voters, most votes win.
func TestAnyOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{Method: "choice", Choice: "anyOf", Options: []string{"Red", "Green", "Blue"}})
		if _, err := f.s.Governance.Cast(f.ctx, f.alice, p.ID, []string{"Red", "Green"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Governance.Cast(f.ctx, f.alice, p.ID, []string{"Red", "Blue"}, ""); err != nil { // replaces
			t.Fatal(err)
		}
		f.cast(t, p, vote{"bob", "Red", 0})
		for _, o := range []string{"Red", "Green", "Red"} { // the second Red is a duplicate
			if _, err := f.s.Governance.ReceiveVote(f.ctx, f.rita, p.URI, o, f.rita.URI+"/votes/"+models.NewID()); err != nil {
				t.Fatal(err)
			}
		}
		v, _ := f.s.Governance.Get(f.ctx, f.alice, p.ID)
		if v.Counts["Red"] != 3 || v.Counts["Green"] != 1 || v.Counts["Blue"] != 1 || v.Voters != 3 || len(v.MineAll) != 2 {
			t.Fatalf("counts %v voters %d mine %v", v.Counts, v.Voters, v.MineAll)
		}
		got := f.closeNow(t, p)
		if got.State != models.ProposalPassed || !contains(got.Outcome, "Chosen: Red") || !contains(got.Outcome, "3 of 5") {
			t.Fatalf("%s: %s", got.State, got.Outcome)
		}
		if _, err := f.s.Governance.Propose(f.ctx, f.alice, f.group, governance.ProposalInput{Title: "x", Method: "choice", Options: []string{"a", "b", "c", "d", "e"}}); status(err) != 422 {
			t.Fatalf("five options: %v", err)
		}
		if _, err := f.s.Governance.Propose(f.ctx, f.alice, f.group, governance.ProposalInput{Title: "x", Kind: "grant_role", Method: "choice", Options: []string{"a", "b"},
			Args: json.RawMessage(`{"member":"carol","role":"steward"}`)}); status(err) != 422 {
			t.Fatalf("a choice with an effect: %v", err)
		}
	})
}

// TestEarlyClose: on an early-close proposal ballots are final and the
// close runs as soon as the remaining voters cannot change the outcome.
func TestEarlyClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{EarlyClose: true})
		closeJobs := func() int {
			n := 0
			for _, j := range f.jobs.Scheduled {
				if _, ok := j.(governance.CloseJob); ok {
					n++
				}
			}
			return n
		}
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"alice", "No", 409}) // final
		f.cast(t, p, vote{"bob", "Yes", 0})
		if closed, err := f.s.Governance.Close(f.ctx, p.ID); closed || err != nil {
			t.Fatalf("closed at 2 Yes of 5: %v %v", closed, err)
		}
		before := closeJobs()
		uri := f.rita.URI + "/votes/1"
		if _, err := f.s.Governance.ReceiveVote(f.ctx, f.rita, p.URI, "Yes", uri); err != nil {
			t.Fatal(err)
		}
		if closeJobs() != before+1 {
			t.Fatal("a decided proposal's close was not scheduled")
		}
		if err := f.s.Governance.ReceiveUnvote(f.ctx, f.rita, uri); status(err) != 409 {
			t.Fatalf("Undo of a final ballot: %v", err)
		}
		closed, err := f.s.Governance.Close(f.ctx, p.ID)
		if err != nil || !closed {
			t.Fatalf("early close: %v %v", closed, err)
		}
		got, _ := f.st.ProposalByID(f.ctx, p.ID)
		if got.State != models.ProposalPassed || !contains(got.Outcome, "Closed early") || !got.ClosedAt.Before(p.ClosesAt) {
			t.Fatalf("%s %s", got.State, got.Outcome)
		}
		if _, err := f.s.Governance.Propose(f.ctx, f.alice, f.group, governance.ProposalInput{Title: "x", Method: "lazy_consensus", EarlyClose: true}); status(err) != 422 {
			t.Fatalf("early lazy consensus: %v", err)
		}
	})
}

// TestSettings: who may propose, entrenchment (only a proposal changes
// entrenched settings), the kind defaults, contributions by proposal.
func TestSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		def, err := f.s.Governance.Settings(f.ctx, f.group)
		if err != nil || def.WhoMayPropose != "members" || def.Kinds["change_governance_settings"].ThresholdBase != "eligible" ||
			def.Kinds["change_governance_settings"].WindowHours != 14*24 || def.Kinds["admit_member"].WindowHours != 72 {
			t.Fatalf("defaults %+v (%v)", def, err)
		}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.alice, f.group, governance.Settings{}); status(err) != 403 {
			t.Fatalf("a member changes the settings: %v", err)
		}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{WhoMayPropose: "kings"}); status(err) != 422 {
			t.Fatalf("bad who_may_propose: %v", err)
		}
		kinds := map[string]governance.KindDefaults{"motion": {Method: "consent", QuorumNum: 1, QuorumDen: 4, WindowHours: 24}}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{WhoMayPropose: "maintainers", ContributionsByProposal: true, Kinds: kinds}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Governance.Propose(f.ctx, f.alice, f.group, governance.ProposalInput{Title: "x"}); status(err) != 403 {
			t.Fatalf("a member proposes where maintainers do: %v", err)
		}
		p := f.propose(t, f.founder, governance.ProposalInput{})
		if p.Method != "consent" || p.QuorumNum != 1 || p.QuorumDen != 4 || !p.ClosesAt.Equal(f.now.Add(24*time.Hour)) {
			t.Fatalf("the kind's defaults were not applied: %+v", p)
		}
		co, err := f.s.Communities.Offer(f.ctx, f.carol, f.group, service.ContributionInput{Title: "T", Body: "x", Kind: "knowledge", Licence: "CC-BY-SA-4.0"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Communities.Decide(f.ctx, f.founder, co.ID, true, ""); status(err) != 403 {
			t.Fatalf("a steward accepted a contribution that needs a proposal: %v", err)
		}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{Entrenched: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{}); status(err) != 403 {
			t.Fatalf("entrenched settings changed directly: %v", err)
		}
		// Only a proposal lifts it.
		q := f.propose(t, f.founder, governance.ProposalInput{Kind: "change_governance_settings", Method: "majority", QuorumNum: 1, QuorumDen: 3,
			Args: json.RawMessage(`{"entrenched":false}`)})
		f.cast(t, q, vote{"alice", "Yes", 0})
		f.cast(t, q, vote{"bob", "Yes", 0})
		if got := f.closeNow(t, q); got.State != models.ProposalPassed {
			t.Fatalf("%s %s", got.State, got.Outcome)
		}
		if _, err := f.s.Governance.UpdateSettings(f.ctx, f.founder, f.group, governance.Settings{}); err != nil {
			t.Fatalf("after the proposal lifted entrenchment: %v", err)
		}
	})
}

// TestRevise: a revision withdraws the old proposal and links to it; only
// its author revises.
func TestRevise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{})
		f.cast(t, p, vote{"bob", "Yes", 0})
		if _, err := f.s.Governance.Revise(f.ctx, f.bob, p.ID, governance.ProposalInput{Title: "Better"}); status(err) != 403 {
			t.Fatalf("bob revises alice's proposal: %v", err)
		}
		next, err := f.s.Governance.Revise(f.ctx, f.alice, p.ID, governance.ProposalInput{Title: "Buy a better seed drill", Motion: "Second try."})
		if err != nil {
			t.Fatal(err)
		}
		old, _ := f.st.ProposalByID(f.ctx, p.ID)
		if old.State != models.ProposalWithdrawn || next.RevisionOf != p.ID || !contains(old.Outcome, next.URI) {
			t.Fatalf("old %s %q, next revision_of %q", old.State, old.Outcome, next.RevisionOf)
		}
		v, _ := f.s.Governance.Get(f.ctx, nil, p.ID)
		if v.RevisedBy != next.ID {
			t.Fatalf("revised by %q", v.RevisedBy)
		}
		if nv, _ := f.s.Governance.Get(f.ctx, nil, next.ID); nv.Cast != 0 {
			t.Fatal("votes carried over to the revision")
		}
		if _, err := f.s.Governance.Revise(f.ctx, f.alice, p.ID, governance.ProposalInput{Title: "Third"}); status(err) != 409 {
			t.Fatalf("revising a withdrawn proposal: %v", err)
		}
	})
}

// TestOpenBallots: an open-ballot proposal lists who voted how once closed;
// advisory votes are broken down by instance.
func TestOpenBallots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{BallotMode: "open"})
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"rita", "No", 0})
		f.cast(t, p, vote{"stranger", "Yes", 0})
		f.cast(t, p, vote{"outsider", "No", 0})
		if _, err := f.s.Governance.Ballots(f.ctx, p.ID); status(err) != 404 {
			t.Fatalf("ballots of an open proposal: %v", err)
		}
		f.closeNow(t, p)
		list, err := f.s.Governance.Ballots(f.ctx, p.ID)
		if err != nil || len(list) != 2 || list[1].VoterURI != f.rita.URI || list[1].Option != "No" {
			t.Fatalf("ballots %+v (%v)", list, err)
		}
		v, _ := f.s.Governance.Get(f.ctx, nil, p.ID)
		if len(v.AdvisoryByInstance) != 2 || v.AdvisoryByInstance[0].Domain != "" || v.AdvisoryByInstance[1].Domain != "remote.example" {
			t.Fatalf("advisory by instance %+v", v.AdvisoryByInstance)
		}
		q := f.propose(t, f.alice, governance.ProposalInput{})
		f.closeNow(t, q)
		if _, err := f.s.Governance.Ballots(f.ctx, q.ID); status(err) != 404 {
			t.Fatalf("ballots of a confidential proposal: %v", err)
		}
	})
}

// failAtOutcome is a publisher that fails when the outcome note is sent:
// the close's transaction aborts midway, after the tally, the state change,
// the Update{Question} and the effect were written in it.
type failAtOutcome struct {
	*recorder
	fail bool
}

func (p *failAtOutcome) Publish(ctx context.Context, tx *store.Store, out *service.Outbound) error {
	if _, ok := out.Object.(service.OutcomeObject); ok && p.fail {
		return errors.New("killed during close")
	}
	return p.recorder.Publish(ctx, tx, out)
}

// TestCloseAbortedMidway: a close that dies midway (here: the outcome
// cannot be written) leaves nothing — the proposal stays open, the effect is
// not carried out, no outcome note — and the job's rerun decides it once.
func TestCloseAbortedMidway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p := f.propose(t, f.alice, governance.ProposalInput{Kind: "grant_role", Args: json.RawMessage(`{"member":"bob","role":"maintainer"}`)})
		f.cast(t, p, vote{"alice", "Yes", 0})
		f.cast(t, p, vote{"carol", "Yes", 0})
		pub := &failAtOutcome{recorder: f.pub, fail: true}
		f.s.SetPorts(pub, nil, nil)
		f.now = p.ClosesAt.Add(time.Second)
		if err := f.s.Governance.RunCloseJob(f.ctx, governance.CloseJob{ProposalID: p.ID}); err == nil {
			t.Fatal("the aborted close reported success")
		}
		got, _ := f.st.ProposalByID(f.ctx, p.ID)
		m, _ := f.st.Membership(f.ctx, f.group.ID, f.bob.ID)
		if got.State != models.ProposalOpen || got.Outcome != "" || m.Role != models.RoleCommunityMember {
			t.Fatalf("after the aborted close: state %s, outcome %q, bob %s", got.State, got.Outcome, m.Role)
		}
		outcomes := func() int {
			var n int64
			f.st.DB.Model(&models.Note{}).Where("in_reply_to_uri = ? AND author_id = ?", p.URI, f.group.ID).Count(&n)
			return int(n)
		}
		if outcomes() != 0 {
			t.Fatal("an outcome note survived the aborted close")
		}
		pub.fail = false
		if err := f.s.Governance.RunCloseJob(f.ctx, governance.CloseJob{ProposalID: p.ID}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Governance.RunCloseJob(f.ctx, governance.CloseJob{ProposalID: p.ID}); err != nil { // a stray duplicate
			t.Fatal(err)
		}
		got, _ = f.st.ProposalByID(f.ctx, p.ID)
		m, _ = f.st.Membership(f.ctx, f.group.ID, f.bob.ID)
		if got.State != models.ProposalPassed || m.Role != models.RoleCommunityMaintainer || outcomes() != 1 {
			t.Fatalf("after the rerun: state %s, bob %s, %d outcome notes", got.State, m.Role, outcomes())
		}
	})
}
