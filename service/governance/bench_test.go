package governance_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// BenchmarkClose100k: tally and close a proposal with 100 000 binding
// ballots (and |E| = 100 005), on each database. The electorate and ballots
// are written in bulk before the timer starts; one iteration is one close.
//
//	go test ./service/governance/ -run '^$' -bench Close100k -benchtime 1x
func BenchmarkClose100k(b *testing.B) {
	const n = 100_000
	for _, driver := range storetest.Drivers(b) {
		b.Run(driver, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := storetest.Open(b, driver)
				f := newFixture(b, st)
				p := f.propose(b, f.alice, governance.ProposalInput{})
				members := make([]models.Membership, 0, n)
				voters := make([]models.ProposalVoter, 0, n)
				ballots := make([]models.Ballot, 0, n)
				for j := 0; j < n; j++ {
					id := models.NewID()
					members = append(members, models.Membership{ID: models.NewID(), CommunityID: f.group.ID, ActorID: id,
						Role: models.RoleCommunityMember, State: models.MembershipActive})
					voters = append(voters, models.ProposalVoter{ProposalID: p.ID, ActorID: id})
					option := governance.OptionYes
					if j%3 == 0 {
						option = governance.OptionNo
					}
					ballots = append(ballots, models.Ballot{ID: models.NewID(), ProposalID: p.ID, VoterID: id, Option: option, URI: "https://v.example/" + id})
				}
				for _, rows := range []any{members, voters, ballots} {
					if err := st.DB.CreateInBatches(rows, 1000).Error; err != nil {
						b.Fatal(err)
					}
				}
				if driver == "postgres" {
					// Ballots arrive over days and autovacuum analyzes the tables
					// as they grow; rows bulk-written a moment ago have no
					// statistics yet, and the planner would take them for empty.
					if err := st.DB.Exec("ANALYZE ballots, proposal_voters, memberships").Error; err != nil {
						b.Fatal(err)
					}
				}
				f.now = p.ClosesAt.Add(time.Second)
				b.StartTimer()
				start, cpu := time.Now(), processCPU()
				closed, err := f.s.Governance.Close(f.ctx, p.ID)
				b.StopTimer()
				used := processCPU() - cpu
				if err != nil || !closed {
					b.Fatalf("close: %v %v", closed, err)
				}
				got, _ := st.ProposalByID(f.ctx, p.ID)
				if got.State != models.ProposalPassed || f.pub.Sent(core.TypeUpdate) == 0 {
					b.Fatalf("%s: %s", got.State, got.Outcome)
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/close")
				b.ReportMetric(float64(used.Milliseconds()), "cpu-ms/close")
			}
		})
	}
}

// processCPU is the CPU time (user + system) this process has used so far:
// the machine is shared, so a benchmark reports it beside wall time. On
// PostgreSQL it leaves out the server's own CPU.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestThousandVotesOneUpdate: 1 000 Mastodon votes in one debounce window
// schedule one tally update, which sends one Update{Question} that reaches
// every voter's inbox once.
func TestThousandVotesOneUpdate(t *testing.T) {
	const n = 1000
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		actors := make([]models.Actor, 0, n)
		members := make([]models.Membership, 0, n)
		for i := 0; i < n; i++ {
			id := models.NewID()
			uri := fmt.Sprintf("https://m%d.example/users/v%d", i%50, i)
			actors = append(actors, models.Actor{ID: id, Type: models.ActorPerson, Username: fmt.Sprintf("v%d", i), UsernameLower: fmt.Sprintf("v%d", i), Domain: fmt.Sprintf("m%d.example", i%50),
				URI: uri, InboxURI: uri + "/inbox", SharedInbox: fmt.Sprintf("https://m%d.example/inbox", i%50)})
			members = append(members, models.Membership{ID: models.NewID(), CommunityID: f.group.ID, ActorID: id,
				Role: models.RoleCommunityMember, State: models.MembershipActive})
		}
		for _, rows := range []any{actors, members} {
			if err := st.DB.CreateInBatches(rows, 500).Error; err != nil {
				t.Fatal(err)
			}
		}
		p := f.propose(t, f.alice, governance.ProposalInput{})
		for i := range actors {
			if _, err := f.s.Governance.ReceiveVote(f.ctx, &actors[i], p.URI, governance.OptionYes, actors[i].URI+"#votes/1"); err != nil {
				t.Fatal(err)
			}
		}
		var jobs []governance.TallyJob
		for _, j := range f.jobs.Scheduled {
			if tj, ok := j.(governance.TallyJob); ok {
				jobs = append(jobs, tj)
			}
		}
		if len(jobs) != 1 {
			t.Fatalf("%d tally jobs for %d votes, want 1", len(jobs), n)
		}
		f.pub.Out = nil
		if err := f.s.Governance.RunTallyJob(f.ctx, jobs[0]); err != nil {
			t.Fatal(err)
		}
		if len(f.pub.Out) != 1 || f.pub.Out[0].Type != core.TypeUpdate {
			t.Fatalf("%d activities, want one Update", len(f.pub.Out))
		}
		seen := map[string]bool{}
		for _, r := range f.pub.Out[0].Recipients {
			seen[r.ID] = true
		}
		if len(seen) < n || len(f.pub.Out[0].Recipients) != len(seen) {
			t.Fatalf("the Update reaches %d distinct voters of %d (%d recipients)", len(seen), n, len(f.pub.Out[0].Recipients))
		}
		if q := f.pub.Out[0].Object.(service.QuestionObject); q.Counts[governance.OptionYes] != n {
			t.Fatalf("Update{Question} counts %v", q.Counts)
		}
	})
}
