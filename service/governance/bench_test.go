package governance_test

import (
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/governance"
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
				f.now = p.ClosesAt.Add(time.Second)
				b.StartTimer()
				start := time.Now()
				closed, err := f.s.Governance.Close(f.ctx, p.ID)
				b.StopTimer()
				if err != nil || !closed {
					b.Fatalf("close: %v %v", closed, err)
				}
				got, _ := st.ProposalByID(f.ctx, p.ID)
				if got.State != models.ProposalPassed || f.pub.Sent(core.TypeUpdate) == 0 {
					b.Fatalf("%s: %s", got.State, got.Outcome)
				}
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/close")
			}
		})
	}
}
