package communities_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// Decision: a refused request, a withdrawn membership and an undone follow are
// deleted, not kept in a final state. The loser of a race against one of those
// gets 409 when it reached its conditional update after the delete, or 404 when
// it did not even find the row to read: both are "refused, nothing changed".

// raceRounds is how many times each race is run per database. On PostgreSQL the
// unconditional code lost most of them; on SQLite (one connection) a few.
const raceRounds = 50

// rowPublisher stands in for the federation edge: every Outbound becomes an
// activity row written in the caller's transaction, so a rolled-back change
// leaves no trace of its side effects and a test can count what was really
// published. fail, when set, may refuse an Outbound (a failing delivery write).
type rowPublisher struct {
	mu   sync.Mutex
	fail func(out *service.Outbound) error
}

func (p *rowPublisher) Publish(ctx context.Context, tx *store.Store, out *service.Outbound) error {
	p.mu.Lock()
	fail := p.fail
	p.mu.Unlock()
	if fail != nil {
		if err := fail(out); err != nil {
			return err
		}
	}
	var object string
	switch o := out.Object.(type) {
	case service.ContributionObject:
		object = o.Contribution.URI
	case service.OfferObject:
		object = o.Contribution.URI
	case service.MembershipObject:
		object = o.Membership.ID
	case service.RelayedActivity:
		object = "relayed"
	case nil:
	default:
		object = o.ObjectID()
	}
	return tx.CreateActivity(ctx, &models.Activity{ID: models.NewID(), URI: out.ID, Type: out.Type, ActorURI: out.Actor.URI,
		ObjectURI: object, Local: true, Public: out.Public, Raw: fmt.Sprintf(`{"type":%q,"id":%q}`, out.Type, out.ID),
		State: models.ActivityProcessed, CreatedAt: time.Now().UTC()})
}

// published counts the activities of a type about an object.
func published(t *testing.T, st *store.Store, typ, object string) int64 {
	t.Helper()
	var n int64
	if err := st.DB.Model(&models.Activity{}).Where("type = ? AND object_uri = ? AND local = ?", typ, object, true).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// commonsFixture is a local community with a steward, on a service whose
// publisher writes activity rows.
type commonsFixture struct {
	ctx       context.Context
	s         *service.Service
	st        *store.Store
	pub       *rowPublisher
	steward   *models.Actor
	group     *models.Actor
	community *models.Community
}

func newCommonsFixture(t *testing.T, st *store.Store, policy string) *commonsFixture {
	t.Helper()
	ctx := context.Background()
	s := servicetest.New(t, st)
	pub := &rowPublisher{}
	s.SetPorts(pub, nil, nil)
	u, err := s.Accounts.SignUp(ctx, service.Registration{Username: "steward", Email: "steward@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	steward, err := s.Accounts.ActorOf(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	group, com, err := s.Communities.Create(ctx, u, service.CommunityInput{Handle: "commons", Licence: "MIT",
		MembershipPolicy: policy, OfferPolicy: models.PolicyOpen, PostingPolicy: models.PolicyOpen, MembersPublic: true})
	if err != nil {
		t.Fatal(err)
	}
	return &commonsFixture{ctx: ctx, s: s, st: st, pub: pub, steward: steward, group: group, community: com}
}

// remote stores an actor of another server.
func (f *commonsFixture) remote(t *testing.T, name string) *models.Actor {
	t.Helper()
	id := models.NewID()
	base := "https://remote.example/users/" + name + id
	a := &models.Actor{ID: id, Type: models.ActorPerson, Username: name + id, Domain: "remote.example", URI: base,
		InboxURI: base + "/inbox", FollowersURI: base + "/followers"}
	if err := f.st.CreateActor(f.ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// local signs up a local user and returns its actor.
func (f *commonsFixture) local(t *testing.T, name string) *models.Actor {
	t.Helper()
	u, err := f.s.Accounts.SignUp(f.ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Accounts.ActorOf(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// race runs a and b at the same moment and returns their errors.
func race(a, b func() error) (errA, errB error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); <-start; errA = a() }()
	go func() { defer wg.Done(); <-start; errB = b() }()
	close(start)
	wg.Wait()
	return errA, errB
}

// oneWins checks that exactly one of two racing transitions succeeded and the
// other was refused with 409 (or one of the statuses in also); it reports
// whether a won.
func oneWins(t *testing.T, round int, errA, errB error, also ...int) (aWon bool) {
	t.Helper()
	lost := func(err error) bool {
		if servicetest.Status(err) == http.StatusConflict {
			return true
		}
		for _, s := range also {
			if servicetest.Status(err) == s {
				return true
			}
		}
		return false
	}
	switch {
	case errA == nil && errB == nil:
		t.Fatalf("round %d: both transitions succeeded", round)
	case errA == nil && lost(errB):
		return true
	case errB == nil && lost(errA):
		return false
	}
	t.Fatalf("round %d: want one success and one 409, got %v and %v", round, errA, errB)
	return false
}

// TestContributionDecisionRace: a maintainer's accept and reject of the same
// contribution race. Exactly one wins, the other gets 409; ledger entries, the
// Accept, Add and Announce exist iff it was accepted, the Reject iff rejected.
func TestContributionDecisionRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		for i := 0; i < raceRounds; i++ {
			contributor := f.remote(t, "contributor")
			objectURI := contributor.URI + "/works/1"
			co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: fmt.Sprint("work ", i), Body: "body", Kind: "code", Licence: "MIT"},
				&service.RemoteOffer{ObjectURI: objectURI, OfferURI: contributor.URI + "/offers/1", Contributors: []string{contributor.URI}})
			if err != nil {
				t.Fatal(err)
			}
			errA, errB := race(
				func() error { _, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, true, ""); return err },
				func() error {
					_, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, false, "not for us")
					return err
				})
			accepted := oneWins(t, i, errA, errB)
			got, err := st.ContributionByID(f.ctx, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ledger int64
			if err := st.DB.Model(&models.LedgerEntry{}).Where("contribution_id = ?", co.ID).Count(&ledger).Error; err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{"Accept": 0, "Add": 0, "Announce": 0, "Reject": 1}
			wantState := models.ContributionRejected
			if accepted {
				want = map[string]int64{"Accept": 1, "Add": 1, "Announce": 1, "Reject": 0}
				wantState = models.ContributionAccepted
			}
			if got.State != wantState || (ledger > 0) != accepted || (got.AcceptedAt != nil) != accepted || (got.Reason != "") == accepted {
				t.Fatalf("round %d: state %s, %d ledger entries, accepted_at %v, reason %q after accepted=%v",
					i, got.State, ledger, got.AcceptedAt, got.Reason, accepted)
			}
			for typ, n := range want {
				if p := published(t, st, typ, co.URI); p != n {
					t.Fatalf("round %d (accepted=%v): %d %s published, want %d", i, accepted, p, typ, n)
				}
			}
		}
	})
}

// TestMembershipDecisionRace: approve and refuse of the same membership request
// race. Exactly one wins; the member is active (with a role-log entry and an
// Accept) iff approved, and gone (with a Reject) iff refused.
func TestMembershipDecisionRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyApproval)
		for i := 0; i < raceRounds; i++ {
			joiner := f.remote(t, "joiner")
			m, err := f.s.Communities.Join(f.ctx, joiner, f.group, joiner.URI+"/join/1")
			if err != nil || m.State != models.MembershipPending {
				t.Fatalf("join: %+v %v", m, err)
			}
			errA, errB := race(
				func() error {
					_, err := f.s.Communities.DecideMembership(f.ctx, f.steward, f.group, m.ID, true)
					return err
				},
				func() error {
					_, err := f.s.Communities.DecideMembership(f.ctx, f.steward, f.group, m.ID, false)
					return err
				})
			approved := oneWins(t, i, errA, errB, http.StatusNotFound)
			got, err := st.MembershipByID(f.ctx, m.ID)
			switch {
			case approved && (err != nil || got.State != models.MembershipActive):
				t.Fatalf("round %d: approved but membership is %+v (%v)", i, got, err)
			case !approved && !errors.Is(err, store.ErrNotFound):
				t.Fatalf("round %d: refused but membership is %+v (%v)", i, got, err)
			}
			var logged int64
			if err := st.DB.Model(&models.RoleChange{}).Where("community_id = ? AND actor_id = ?", f.group.ID, joiner.ID).Count(&logged).Error; err != nil {
				t.Fatal(err)
			}
			accepts, rejects := published(t, st, "Accept", m.ID), published(t, st, "Reject", m.ID)
			if approved != (logged == 1) || logged > 1 || approved != (accepts == 1) || approved == (rejects == 1) || accepts+rejects != 1 {
				t.Fatalf("round %d (approved=%v): %d role-log entries, %d Accept, %d Reject", i, approved, logged, accepts, rejects)
			}
		}
	})
}

// TestMembershipApproveLeaveRace: a maintainer approves a request while its
// author withdraws it (Leave). Either may win, or both in turn (approved, then
// left); a membership must never be active after its Leave succeeded.
func TestMembershipApproveLeaveRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyApproval)
		for i := 0; i < raceRounds; i++ {
			joiner := f.remote(t, "joiner")
			m, err := f.s.Communities.Join(f.ctx, joiner, f.group, joiner.URI+"/join/1")
			if err != nil {
				t.Fatal(err)
			}
			errApprove, errLeave := race(
				func() error {
					_, err := f.s.Communities.DecideMembership(f.ctx, f.steward, f.group, m.ID, true)
					return err
				},
				func() error { return f.s.Communities.Leave(f.ctx, joiner, f.group) })
			for _, err := range []error{errApprove, errLeave} {
				if err != nil && servicetest.Status(err) != http.StatusConflict && servicetest.Status(err) != http.StatusNotFound {
					t.Fatalf("round %d: %v", i, err)
				}
			}
			got, err := st.MembershipByID(f.ctx, m.ID)
			exists := err == nil
			switch {
			case errApprove != nil && errLeave != nil:
				t.Fatalf("round %d: both refused", i)
			case errLeave == nil && exists:
				t.Fatalf("round %d: the Leave succeeded but the membership is %s", i, got.State)
			case errLeave != nil && (!exists || got.State != models.MembershipActive):
				t.Fatalf("round %d: the Leave was refused but the membership is %+v (%v)", i, got, err)
			}
		}
	})
}

// TestLastStewardRace: the two stewards of a community leave, or demote each
// other, at the same moment. One may go; the community always keeps a steward.
func TestLastStewardRace(t *testing.T) {
	cases := []struct {
		name string
		act  func(f *commonsFixture, self, other *models.Actor) error
	}{
		{"both leave", func(f *commonsFixture, self, other *models.Actor) error {
			return f.s.Communities.Leave(f.ctx, self, f.group)
		}},
		{"each demotes the other", func(f *commonsFixture, self, other *models.Actor) error {
			_, err := f.s.Communities.SetRole(f.ctx, self, f.group, other, models.RoleCommunityMember)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newCommonsFixture(t, st, models.PolicyOpen)
				a, b := f.local(t, "a"), f.local(t, "b")
				for i := 0; i < raceRounds; i++ {
					// a and b become the only stewards: the founder steps down.
					for _, x := range []*models.Actor{a, b} {
						if _, err := f.s.Communities.Join(f.ctx, x, f.group, ""); err != nil {
							t.Fatal(err)
						}
						if _, err := f.s.Communities.SetRole(f.ctx, f.steward, f.group, x, models.RoleCommunitySteward); err != nil {
							t.Fatal(err)
						}
					}
					if _, err := f.s.Communities.SetRole(f.ctx, a, f.group, f.steward, models.RoleCommunityMember); err != nil {
						t.Fatal(err)
					}
					errA, errB := race(func() error { return c.act(f, a, b) }, func() error { return c.act(f, b, a) })
					// The loser may also find it is no longer a steward (403).
					aWon := oneWins(t, i, errA, errB, http.StatusForbidden)
					n, err := st.CountMembers(f.ctx, f.group.ID, []string{models.RoleCommunitySteward})
					if err != nil || n != 1 {
						t.Fatalf("round %d: %d stewards left (%v)", i, n, err)
					}
					// Hand the community back to the founder for the next round.
					winner := b
					if aWon && c.name == "each demotes the other" {
						winner = a
					} else if !aWon && c.name == "both leave" {
						winner = a
					}
					if _, err := f.s.Communities.SetRole(f.ctx, winner, f.group, f.steward, models.RoleCommunitySteward); err != nil {
						t.Fatal(err)
					}
					if _, err := f.s.Communities.SetRole(f.ctx, f.steward, f.group, winner, models.RoleCommunityMember); err != nil {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

// TestFollowDecisionRace: accept and reject of the same follow request race.
// Exactly one wins; the follow is accepted iff accepted and gone iff rejected,
// and only the winner's answer is sent.
func TestFollowDecisionRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		target := f.local(t, "locked")
		target.ManuallyApprovesFollowers = true
		if err := st.UpdateActor(f.ctx, target); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < raceRounds; i++ {
			follower := f.remote(t, "follower")
			fo, err := f.s.Social.Follow(f.ctx, follower, target, follower.URI+"/follows/1")
			if err != nil || fo.State != models.FollowPending {
				t.Fatalf("follow: %+v %v", fo, err)
			}
			errA, errB := race(
				func() error { return f.s.Social.Decide(f.ctx, target, fo.ID, true) },
				func() error { return f.s.Social.Decide(f.ctx, target, fo.ID, false) })
			accepted := oneWins(t, i, errA, errB, http.StatusNotFound)
			got, err := st.FollowByID(f.ctx, fo.ID)
			switch {
			case accepted && (err != nil || got.State != models.FollowAccepted):
				t.Fatalf("round %d: accepted but follow is %+v (%v)", i, got, err)
			case !accepted && !errors.Is(err, store.ErrNotFound):
				t.Fatalf("round %d: rejected but follow is %+v (%v)", i, got, err)
			}
			accepts, rejects := published(t, st, "Accept", fo.URI), published(t, st, "Reject", fo.URI)
			if accepts+rejects != 1 || accepted != (accepts == 1) {
				t.Fatalf("round %d (accepted=%v): %d Accept, %d Reject sent", i, accepted, accepts, rejects)
			}
		}
	})
}

// TestUnfollowRace: two Undo{Follow} of one follow (a retried delivery, or the
// user clicking twice) race: one removes it and sends the Undo, the other finds
// nothing to undo.
func TestUnfollowRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		follower := f.local(t, "follower")
		for i := 0; i < raceRounds; i++ {
			target := f.remote(t, "target")
			fo, err := f.s.Social.Follow(f.ctx, follower, target, "")
			if err != nil {
				t.Fatal(err)
			}
			errA, errB := race(
				func() error { return f.s.Social.UnfollowByID(f.ctx, follower, fo.ID) },
				func() error { return f.s.Social.UnfollowByID(f.ctx, follower, fo.ID) })
			if (errA == nil) == (errB == nil) {
				t.Fatalf("round %d: want exactly one unfollow to succeed: %v, %v", i, errA, errB)
			}
			if lost := errors.Join(errA, errB); servicetest.Status(lost) != http.StatusNotFound && servicetest.Status(lost) != http.StatusConflict {
				t.Fatalf("round %d: the losing unfollow: %v", i, lost)
			}
			var undos int64
			if err := st.DB.Model(&models.Activity{}).Where("type = ? AND actor_uri = ? AND object_uri = ?", "Undo", follower.URI, fo.URI).Count(&undos).Error; err != nil {
				t.Fatal(err)
			}
			if undos != 1 {
				t.Fatalf("round %d: %d Undo of the follow sent, want 1", i, undos)
			}
		}
	})
}

// failOnce makes the publisher refuse the first Outbound of type typ.
func failOnce(p *rowPublisher, typ string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	failed := false
	p.fail = func(out *service.Outbound) error {
		if out.Type == typ && !failed {
			failed = true
			return errors.New("delivery queue unavailable")
		}
		return nil
	}
}

// TestCommunityRelayIsAtomic: a post to a local community and the Group's relay
// (Announce of the Create and of the note) are written together. When the relay
// cannot be written the post is not stored either, so the retry (the author's,
// or the inbox job's) stores both; a post is never left without its boost.
func TestCommunityRelayIsAtomic(t *testing.T) {
	cases := []struct {
		name string
		post func(f *commonsFixture, author *models.Actor, i int) (uri string, err error)
	}{
		{"local post", func(f *commonsFixture, author *models.Actor, i int) (string, error) {
			n, err := f.s.Social.PostNote(f.ctx, author, service.NoteInput{Content: fmt.Sprint("hello ", i), Community: "commons"})
			if err != nil {
				return "", err
			}
			return n.URI, nil
		}},
		{"remote post", func(f *commonsFixture, author *models.Actor, i int) (string, error) {
			uri := fmt.Sprintf("%s/notes/%d", author.URI, i)
			note := &models.Note{URI: uri, Type: "Note", Content: "<p>hello</p>", Visibility: models.VisibilityPublic,
				AudienceURI: f.group.URI, To: []string{service.PublicCollection}}
			_, err := f.s.Social.ReceiveNote(f.ctx, author, service.RemoteNote{Note: note, Addressed: []string{f.group.URI},
				Activity: fmt.Sprintf(`{"type":"Create","id":%q}`, uri+"/activity")}, false)
			return uri, err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newCommonsFixture(t, st, models.PolicyOpen)
				author := f.steward
				if c.name == "remote post" {
					author = f.remote(t, "poster")
				}
				notes := func() int64 {
					var n int64
					if err := st.DB.Model(&models.Note{}).Where("author_id = ?", author.ID).Count(&n).Error; err != nil {
						t.Fatal(err)
					}
					return n
				}
				relays := func() int64 {
					var n int64
					if err := st.DB.Model(&models.Activity{}).Where("type = ? AND actor_uri = ?", "Announce", f.group.URI).Count(&n).Error; err != nil {
						t.Fatal(err)
					}
					return n
				}
				failOnce(f.pub, "Announce")
				if _, err := c.post(f, author, 1); err == nil {
					t.Fatal("the post succeeded although its relay could not be written")
				}
				if n, r := notes(), relays(); n != 0 || r != 0 {
					t.Fatalf("after a failed relay: %d notes stored, %d relays", n, r)
				}
				uri, err := c.post(f, author, 1) // the retry
				if err != nil {
					t.Fatal(err)
				}
				if n, r := notes(), relays(); n != 1 || r != 2 {
					t.Fatalf("after the retry: %d notes, %d relays (want 1 and 2: Announce of the Create and of the note)", n, r)
				}
				if published(t, st, "Announce", uri) != 1 {
					t.Fatal("the Group did not boost the note")
				}
			})
		})
	}
}

// TestContributionReviewTransitions walks a contribution through review and
// checks that every transition out of a final state is refused with 409 and
// changes nothing.
func TestContributionReviewTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		contributor := f.local(t, "contributor")
		co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: "a guide", Body: "text", Kind: "knowledge"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name      string
			do        func() error
			status    int
			wantState string
		}{
			{"maintainer requests changes", func() error {
				_, err := f.s.Communities.Comment(f.ctx, f.steward, co.ID, "please add a summary", true)
				return err
			}, 0, models.ContributionChangesRequested},
			{"contributor answers", func() error {
				_, err := f.s.Communities.Comment(f.ctx, contributor, co.ID, "done", false)
				return err
			}, 0, models.ContributionOpen},
			{"contributor cannot decide", func() error {
				_, err := f.s.Communities.Decide(f.ctx, contributor, co.ID, true, "")
				return err
			}, http.StatusForbidden, models.ContributionOpen},
			{"rejection needs a reason", func() error {
				_, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, false, " ")
				return err
			}, http.StatusUnprocessableEntity, models.ContributionOpen},
			{"accept", func() error {
				_, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, true, "")
				return err
			}, 0, models.ContributionAccepted},
			{"accept again", func() error {
				_, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, true, "")
				return err
			}, http.StatusConflict, models.ContributionAccepted},
			{"reject after accept", func() error {
				_, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, false, "changed my mind")
				return err
			}, http.StatusConflict, models.ContributionAccepted},
			{"request changes after accept", func() error {
				_, err := f.s.Communities.Comment(f.ctx, f.steward, co.ID, "one more thing", true)
				return err
			}, http.StatusConflict, models.ContributionAccepted},
		}
		for _, step := range steps {
			if err := step.do(); servicetest.Status(err) != step.status {
				t.Fatalf("%s: status %d (%v), want %d", step.name, servicetest.Status(err), err, step.status)
			}
			got, err := st.ContributionByID(f.ctx, co.ID)
			if err != nil || got.State != step.wantState {
				t.Fatalf("%s: state %v (%v), want %s", step.name, got, err, step.wantState)
			}
		}
		entries, n, err := f.s.Communities.Ledger(f.ctx, f.group, 10, 0)
		if err != nil || n != 1 || entries[0].ContributorID != contributor.ID || entries[0].ContributionID != co.ID {
			t.Fatalf("ledger after one acceptance: %+v (%d, %v)", entries, n, err)
		}
	})
}

// TestOfferAnswerFromRemoteCommunity: a remote community's answer to a local
// offer applies once; the same answer again is no change, the opposite one is
// refused (409), and only the community offered to may answer.
func TestOfferAnswerFromRemoteCommunity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		remoteGroup := f.remote(t, "guild")
		remoteGroup.Type = models.ActorGroup
		if err := st.UpdateActor(f.ctx, remoteGroup); err != nil {
			t.Fatal(err)
		}
		other := f.remote(t, "other")
		co, err := f.s.Communities.Offer(f.ctx, f.steward, remoteGroup, service.ContributionInput{Title: "patch", Kind: "code", Licence: "MIT"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name   string
			by     *models.Actor
			accept bool
			status int
			want   string
		}{
			{"another actor answers", other, true, http.StatusForbidden, models.ContributionOpen},
			{"accepted", remoteGroup, true, 0, models.ContributionAccepted},
			{"the Accept delivered again", remoteGroup, true, 0, models.ContributionAccepted},
			{"a Reject after the Accept", remoteGroup, false, http.StatusConflict, models.ContributionAccepted},
		}
		for _, step := range steps {
			err := f.s.Communities.ReceiveOfferAnswer(f.ctx, step.by, co.OfferURI, step.accept, "no")
			if servicetest.Status(err) != step.status {
				t.Fatalf("%s: status %d (%v), want %d", step.name, servicetest.Status(err), err, step.status)
			}
			if got, _ := st.ContributionByID(f.ctx, co.ID); got.State != step.want {
				t.Fatalf("%s: state %s, want %s", step.name, got.State, step.want)
			}
		}
	})
}

// TestNoteDeletionRace: two deletions of one note race (a double click, a
// re-delivered Delete): one tombstones it and publishes the Delete, the other
// finds nothing to delete. An edit racing a deletion never brings the note back.
func TestNoteDeletionRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		remote := f.remote(t, "writer")
		for i := 0; i < raceRounds; i++ {
			n, err := f.s.Social.PostNote(f.ctx, f.steward, service.NoteInput{Content: fmt.Sprint("note ", i)})
			if err != nil {
				t.Fatal(err)
			}
			errA, errB := race(
				func() error { return f.s.Social.DeleteNote(f.ctx, f.steward, n.ID) },
				func() error { return f.s.Social.DeleteNote(f.ctx, f.steward, n.ID) })
			oneWins(t, i, errA, errB, http.StatusNotFound)
			if d := published(t, st, "Delete", n.URI); d != 1 {
				t.Fatalf("round %d: %d Delete published, want 1", i, d)
			}

			uri := fmt.Sprintf("%s/notes/%d", remote.URI, i)
			remoteNote := func(content string) service.RemoteNote {
				return service.RemoteNote{Note: &models.Note{URI: uri, Type: "Note", Content: content,
					Visibility: models.VisibilityPublic, To: []string{service.PublicCollection}}}
			}
			if _, err := f.s.Social.ReceiveNote(f.ctx, remote, remoteNote("<p>first</p>"), false); err != nil {
				t.Fatal(err)
			}
			errUpdate, errDelete := race(
				func() error {
					_, err := f.s.Social.ReceiveNote(f.ctx, remote, remoteNote("<p>edited</p>"), true)
					return err
				},
				func() error { return f.s.Social.ReceiveDelete(f.ctx, remote, uri, "") })
			if errDelete != nil || (errUpdate != nil && servicetest.Status(errUpdate) != http.StatusConflict) {
				t.Fatalf("round %d: update %v, delete %v", i, errUpdate, errDelete)
			}
			got, err := st.NoteByURI(f.ctx, uri)
			if err != nil || got.DeletedAt == nil || got.Content != "" {
				t.Fatalf("round %d: after its Delete the note is %+v (%v)", i, got, err)
			}
		}
	})
}

// TestMembershipByMessageRace: the message that confirms a membership asked for
// on the community's page arrives twice at once (a retried delivery). The intent
// turns into a membership once: one role-log entry, not two.
func TestMembershipByMessageRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		for i := 0; i < raceRounds; i++ {
			visitor := f.remote(t, "visitor")
			m := &models.Membership{ID: models.NewID(), CommunityID: f.group.ID, ActorID: visitor.ID, Role: models.RoleCommunityMember,
				State: models.MembershipAwaitingFollow, CreatedAt: f.s.Now()}
			if err := st.PutMembership(f.ctx, m); err != nil {
				t.Fatal(err)
			}
			confirm := func() error {
				n := &models.Note{Content: "<p>please confirm " + service.JoinCode(m) + "</p>"}
				f.s.Communities.ConfirmByMessage(f.ctx, visitor, n, service.RemoteNote{Note: n, Addressed: []string{f.group.URI}})
				return nil
			}
			race(confirm, confirm)
			got, err := st.MembershipByID(f.ctx, m.ID)
			if err != nil || got.State != models.MembershipActive {
				t.Fatalf("round %d: membership %+v (%v)", i, got, err)
			}
			var logged int64
			if err := st.DB.Model(&models.RoleChange{}).Where("community_id = ? AND actor_id = ?", f.group.ID, visitor.ID).Count(&logged).Error; err != nil {
				t.Fatal(err)
			}
			if logged != 1 {
				t.Fatalf("round %d: %d role-log entries for one membership", i, logged)
			}
		}
	})
}

// TestInvitationJoinRace: an invited actor's Join arrives twice at once. The
// invitation is accepted once (one role-log entry); the other Join either finds
// the membership active (and is answered again) or gets 409.
func TestInvitationJoinRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyInvitation)
		for i := 0; i < raceRounds; i++ {
			invitee := f.remote(t, "invitee")
			m, err := f.s.Communities.Invite(f.ctx, f.steward, f.group, invitee)
			if err != nil {
				t.Fatal(err)
			}
			join := func() error { _, err := f.s.Communities.Join(f.ctx, invitee, f.group, invitee.URI+"/join"); return err }
			errA, errB := race(join, join)
			for _, err := range []error{errA, errB} {
				if err != nil && servicetest.Status(err) != http.StatusConflict {
					t.Fatalf("round %d: %v", i, err)
				}
			}
			if errA != nil && errB != nil {
				t.Fatalf("round %d: both Joins refused: %v", i, errA)
			}
			got, err := st.MembershipByID(f.ctx, m.ID)
			if err != nil || got.State != models.MembershipActive {
				t.Fatalf("round %d: membership %+v (%v)", i, got, err)
			}
			var logged int64
			if err := st.DB.Model(&models.RoleChange{}).Where("community_id = ? AND actor_id = ?", f.group.ID, invitee.ID).Count(&logged).Error; err != nil {
				t.Fatal(err)
			}
			if logged != 1 {
				t.Fatalf("round %d: the invitation was accepted %d times", i, logged)
			}
		}
	})
}

// TestJoinLeaveRace: a Join of an open community and a Leave by the same actor
// race. The Leave either finds no membership yet (404, and the actor is then a
// member) or removes the one the Join made (and the actor is not a member).
func TestJoinLeaveRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		for i := 0; i < raceRounds; i++ {
			actor := f.remote(t, "joiner")
			errJoin, errLeave := race(
				func() error { _, err := f.s.Communities.Join(f.ctx, actor, f.group, actor.URI+"/join"); return err },
				func() error { return f.s.Communities.Leave(f.ctx, actor, f.group) })
			if errJoin != nil {
				t.Fatalf("round %d: join: %v", i, errJoin)
			}
			m, err := st.Membership(f.ctx, f.group.ID, actor.ID)
			switch {
			case errLeave == nil && err == nil:
				t.Fatalf("round %d: left, but the membership is %s", i, m.State)
			case errLeave != nil && servicetest.Status(errLeave) != http.StatusNotFound && servicetest.Status(errLeave) != http.StatusConflict:
				t.Fatalf("round %d: leave: %v", i, errLeave)
			case errLeave != nil && (err != nil || m.State != models.MembershipActive):
				t.Fatalf("round %d: the Leave was refused but the membership is %+v (%v)", i, m, err)
			}
		}
	})
}

// TestCreditConfirmDecideRace: a named co-contributor confirms their credit
// while a maintainer accepts the contribution. Whatever the order, they end up
// credited with exactly one ledger entry (added by the decision if their
// confirmation came first, by the confirmation if it came after).
func TestCreditConfirmDecideRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		for i := 0; i < raceRounds; i++ {
			contributor := f.remote(t, "offerer")
			co2 := f.local(t, fmt.Sprintf("cocontrib%d", i))
			co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: fmt.Sprint("joint work ", i), Body: "body", Kind: "code", Licence: "MIT"},
				&service.RemoteOffer{ObjectURI: contributor.URI + "/works/1", OfferURI: contributor.URI + "/offers/1", Contributors: []string{contributor.URI, co2.URI}})
			if err != nil {
				t.Fatal(err)
			}
			if p := service.PendingContributors(co); len(p) != 1 || p[0] != co2.URI {
				t.Fatalf("round %d: pending %v, want the co-contributor", i, p)
			}
			errA, errB := race(
				func() error { _, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, true, ""); return err },
				func() error { _, err := f.s.Communities.ConfirmCredit(f.ctx, co2, co.ID); return err })
			if errA != nil || errB != nil {
				t.Fatalf("round %d: decide %v, confirm %v", i, errA, errB)
			}
			got, err := st.ContributionByID(f.ctx, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != models.ContributionAccepted || !slices.Contains(got.Contributors, co2.URI) || len(service.PendingContributors(got)) != 0 {
				t.Fatalf("round %d: state %s, contributors %v, pending %q", i, got.State, got.Contributors, got.PendingContributors)
			}
			for _, a := range []*models.Actor{contributor, co2} {
				var n int64
				if err := st.DB.Model(&models.LedgerEntry{}).Where("contribution_id = ? AND contributor_id = ?", co.ID, a.ID).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					t.Fatalf("round %d: %s has %d ledger entries, want 1", i, a.Username, n)
				}
			}
		}
	})
}
