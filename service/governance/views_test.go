package governance_test

import (
	"reflect"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// countStatements counts the SQL statements st runs from now on (queries,
// raw scans and writes) through gorm's callbacks.
func countStatements(t *testing.T, st *store.Store) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	inc := func(*gorm.DB) { n.Add(1) }
	cb := st.DB.Callback()
	for name, err := range map[string]error{
		"query": cb.Query().After("gorm:query").Register("test:count_query", inc),
		"row":   cb.Row().After("gorm:row").Register("test:count_row", inc),
		"raw":   cb.Raw().After("gorm:raw").Register("test:count_raw", inc),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	return &n
}

// TestViewsQueryCount: a page of proposals is read with their tallies in a
// fixed number of statements, whatever its length (the proposal list and the
// governance log used to read each proposal again, about nine statements a
// row), and each view equals what Get says of the proposal alone: counts,
// turnout, the viewer's ballots, advisory votes by instance, revisions.
func TestViewsQueryCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		var list []models.Proposal
		add := func(n int) {
			for i := 0; i < n; i++ {
				var p *models.Proposal
				switch i % 3 {
				case 0:
					p = f.propose(t, f.alice, governance.ProposalInput{})
					f.cast(t, p, vote{"alice", governance.OptionYes, 0})
					f.cast(t, p, vote{"rita", governance.OptionNo, 0})
					f.cast(t, p, vote{"stranger", governance.OptionYes, 0})
				case 1:
					p = f.propose(t, f.bob, governance.ProposalInput{Method: "choice", Choice: "anyOf", Options: []string{"Red", "Green", "Blue"}})
					if _, err := f.s.Governance.Cast(f.ctx, f.alice, p.ID, []string{"Red", "Green"}, ""); err != nil {
						t.Fatal(err)
					}
					f.cast(t, p, vote{"bob", "Red", 0})
				default:
					old := f.propose(t, f.alice, governance.ProposalInput{})
					next, err := f.s.Governance.Revise(f.ctx, f.alice, old.ID, governance.ProposalInput{Title: "Buy two seed drills"})
					if err != nil {
						t.Fatal(err)
					}
					f.cast(t, next, vote{"carol", governance.OptionAbstain, 0})
					p, err = st.ProposalByID(f.ctx, old.ID)
					if err != nil {
						t.Fatal(err)
					}
				}
				list = append(list, *p)
			}
		}
		n := countStatements(t, st)
		statements := func() int64 {
			n.Store(0)
			views, err := f.s.Governance.Views(f.ctx, f.alice, list)
			got := n.Load()
			if err != nil {
				t.Fatal(err)
			}
			if len(views) != len(list) {
				t.Fatalf("%d views of %d proposals", len(views), len(list))
			}
			for i, v := range views {
				one, err := f.s.Governance.Get(f.ctx, f.alice, list[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				if v.Proposal.ID != list[i].ID {
					t.Fatalf("view %d is of %s, want %s", i, v.Proposal.ID, list[i].ID)
				}
				v.Proposal = one.Proposal // the page's row may be older than the one Get reads
				if !reflect.DeepEqual(v, one) {
					t.Fatalf("view %d of the page:\n%+v\nalone:\n%+v", i, v, one)
				}
				counts, eligible, voters, err := st.CountBallots(f.ctx, &list[i], list[i].Choice == governance.ChoiceAny)
				if err != nil {
					t.Fatal(err)
				}
				var cast int64
				for _, c := range counts {
					cast += c.N
					if v.Counts[c.Option] != c.N {
						t.Fatalf("view %d counts %v, the store %v", i, v.Counts, counts)
					}
				}
				if v.Cast != cast || v.Eligible != eligible || v.Voters != voters || v.Eligible == 0 {
					t.Fatalf("view %d: cast %d eligible %d voters %d, the store %d %d %d", i, v.Cast, v.Eligible, v.Voters, cast, eligible, voters)
				}
			}
			return got
		}
		add(3)
		few := statements()
		add(9)
		many := statements()
		if few != many || many > 8 {
			t.Fatalf("%d statements for 3 proposals, %d for 12: want the same, at most 8", few, many)
		}
		if views, err := f.s.Governance.Views(f.ctx, nil, nil); err != nil || len(views) != 0 {
			t.Fatalf("an empty page: %v %v", views, err)
		}
	})
}

// TestPollsQueryCount: the remote polls of a page of notes, with the
// viewer's own votes, are read in two statements whatever their number.
func TestPollsQueryCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		n := countStatements(t, st)
		var ids []string
		add := func(k int) {
			for i := 0; i < k; i++ {
				id := models.NewID()
				note := &models.Note{ID: id, URI: f.rita.URI + "/statuses/" + id, Type: "Question", AuthorID: f.rita.ID,
					Visibility: models.VisibilityPublic, Published: f.now}
				if err := st.CreateNote(f.ctx, note, nil); err != nil {
					t.Fatal(err)
				}
				if err := f.s.Governance.ReceivePoll(f.ctx, f.rita, note, governance.RemotePoll{URI: note.URI,
					Options: []governance.PollOption{{Name: "Tea"}, {Name: "Coffee"}}}); err != nil {
					t.Fatal(err)
				}
				if i%2 == 0 {
					if _, err := f.s.Governance.VotePoll(f.ctx, f.alice, id, []string{"Coffee"}); err != nil {
						t.Fatal(err)
					}
				}
				ids = append(ids, id)
			}
		}
		statements := func() int64 {
			n.Store(0)
			polls, err := f.s.Governance.Polls(f.ctx, f.alice, ids)
			got := n.Load()
			if err != nil || len(polls) != len(ids) {
				t.Fatalf("%d polls of %d: %v", len(polls), len(ids), err)
			}
			for i, id := range ids {
				if voted := polls[id].Voted("Coffee"); voted != (i%2 == 0) || len(polls[id].Mine) > 1 {
					t.Fatalf("poll %d: mine %v", i, polls[id].Mine)
				}
			}
			return got
		}
		add(2)
		few := statements()
		add(6)
		if many := statements(); few != many || many > 2 {
			t.Fatalf("%d statements for 2 polls, %d for 8: want the same, at most 2", few, many)
		}
	})
}
