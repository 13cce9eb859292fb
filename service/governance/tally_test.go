package governance

import (
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestTally covers the methods' edges with integer arithmetic: ties, exactly
// at the quorum and the threshold, an empty electorate.
func TestTally(t *testing.T) {
	maj := Rules{Method: MethodMajority, QuorumNum: 1, QuorumDen: 2, ThresholdNum: 1, ThresholdDen: 2}
	sup := Rules{Method: MethodSupermajority, QuorumNum: 1, QuorumDen: 3, ThresholdNum: 2, ThresholdDen: 3}
	noQuorum := Rules{Method: MethodMajority, QuorumNum: 0, QuorumDen: 1, ThresholdNum: 1, ThresholdDen: 2}
	type c = map[string]int64
	cases := []struct {
		name     string
		rules    Rules
		counts   c
		eligible int64
		want     string
		cast     int64
	}{
		{"majority passes", maj, c{"Yes": 3, "No": 1}, 6, models.ProposalPassed, 4},
		{"majority tie fails", maj, c{"Yes": 2, "No": 2}, 6, models.ProposalFailed, 4},
		{"majority more no fails", maj, c{"Yes": 1, "No": 2}, 6, models.ProposalFailed, 3},
		{"quorum exactly met (3 of 6 at 1/2)", maj, c{"Yes": 2, "Abstain": 1}, 6, models.ProposalPassed, 3},
		{"quorum missed by one", maj, c{"Yes": 2}, 5, models.ProposalFailedNoQuorum, 2},
		{"abstentions count for quorum only", maj, c{"Yes": 1, "Abstain": 5}, 6, models.ProposalPassed, 6},
		{"no votes, no quorum", maj, c{}, 4, models.ProposalFailedNoQuorum, 0},
		{"empty electorate, no quorum needed, no Yes", noQuorum, c{}, 0, models.ProposalFailed, 0},
		{"supermajority exactly 2/3 of cast passes", sup, c{"Yes": 4, "No": 2}, 9, models.ProposalPassed, 6},
		{"supermajority just below fails", sup, c{"Yes": 3, "No": 2}, 9, models.ProposalFailed, 5},
		{"supermajority ignores abstentions in the base", sup, c{"Yes": 2, "No": 1, "Abstain": 6}, 9, models.ProposalPassed, 9},
		{"supermajority with only abstentions fails", sup, c{"Abstain": 5}, 9, models.ProposalFailed, 5},
		{"supermajority below quorum", sup, c{"Yes": 2}, 9, models.ProposalFailedNoQuorum, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Tally(tc.rules, tc.counts, tc.eligible)
			if r.State != tc.want || r.Cast != tc.cast {
				t.Fatalf("Tally = %s (cast %d), want %s (cast %d)", r.State, r.Cast, tc.want, tc.cast)
			}
		})
	}
}

// TestKindsRegistered: every kind of this slice is in the registry, by name.
func TestKindsRegistered(t *testing.T) {
	for _, k := range []string{"motion", "admit_member", "grant_role", "revoke_role"} {
		if kinds[k] == nil || kinds[k].Name() != k {
			t.Errorf("kind %s not registered", k)
		}
	}
}
