package governance

import (
	"testing"

	"github.com/commonsd/commonsd/models"
)

var (
	ynOptions = []string{OptionYes, OptionNo, OptionAbstain}
	maj       = Rules{Method: MethodMajority, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumParticipation, ThresholdNum: 1, ThresholdDen: 2, Options: ynOptions}
	majSup    = Rules{Method: MethodMajority, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumSupport, ThresholdNum: 1, ThresholdDen: 2, Options: ynOptions}
	sup       = Rules{Method: MethodSupermajority, QuorumNum: 1, QuorumDen: 3, QuorumKind: QuorumParticipation, ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseCast, Options: ynOptions}
	supE      = Rules{Method: MethodSupermajority, QuorumNum: 0, QuorumDen: 1, QuorumKind: QuorumParticipation, ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseEligible, Options: ynOptions}
	supBlock  = Rules{Method: MethodSupermajority, QuorumNum: 1, QuorumDen: 3, QuorumKind: QuorumParticipation, ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseCast, Block: true, Options: append(ynOptions[:3:3], OptionBlock)}
	noQuorum  = Rules{Method: MethodMajority, QuorumNum: 0, QuorumDen: 1, ThresholdNum: 1, ThresholdDen: 2, Options: ynOptions}
	consent   = Rules{Method: MethodConsent, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumParticipation, Options: []string{OptionConsent, OptionObject}}
	lazyFail  = Rules{Method: MethodLazyConsensus, QuorumDen: 1, Escalate: EscalateFail, Options: []string{OptionNoObjection, OptionObject}}
	lazyEsc   = Rules{Method: MethodLazyConsensus, QuorumDen: 1, Escalate: EscalateMajority, Options: []string{OptionNoObjection, OptionObject}}
	choiceOne = Rules{Method: MethodChoice, QuorumNum: 1, QuorumDen: 3, QuorumKind: QuorumParticipation, Options: []string{"Red", "Green", "Blue"}}
	choiceAny = Rules{Method: MethodChoice, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumParticipation, Options: []string{"Red", "Green", "Blue"}, Multiple: true}
)

// TestTally covers every method's edges with integer arithmetic: ties,
// exactly at the quorum and the threshold, both quorum kinds, both
// supermajority bases, Block, valid and invalid objections, an empty
// electorate, anyOf.
func TestTally(t *testing.T) {
	type c = map[string]int64
	cases := []struct {
		name      string
		rules     Rules
		counts    c
		voters    int64 // 0: the ballots
		eligible  int64
		objection int64 // valid objections
		want      string
		cast      int64
		winner    string
		escalated bool
	}{
		{name: "majority passes", rules: maj, counts: c{"Yes": 3, "No": 1}, eligible: 6, want: models.ProposalPassed, cast: 4},
		{name: "majority tie fails", rules: maj, counts: c{"Yes": 2, "No": 2}, eligible: 6, want: models.ProposalFailed, cast: 4},
		{name: "majority more no fails", rules: maj, counts: c{"Yes": 1, "No": 2}, eligible: 6, want: models.ProposalFailed, cast: 3},
		{name: "quorum exactly met (3 of 6 at 1/2)", rules: maj, counts: c{"Yes": 2, "Abstain": 1}, eligible: 6, want: models.ProposalPassed, cast: 3},
		{name: "quorum missed by one", rules: maj, counts: c{"Yes": 2}, eligible: 5, want: models.ProposalFailedNoQuorum, cast: 2},
		{name: "abstentions count for a participation quorum", rules: maj, counts: c{"Yes": 1, "Abstain": 5}, eligible: 6, want: models.ProposalPassed, cast: 6},
		{name: "support quorum: abstentions and No do not count", rules: majSup, counts: c{"Yes": 2, "No": 1, "Abstain": 3}, eligible: 6, want: models.ProposalFailedNoQuorum, cast: 6},
		{name: "support quorum exactly met by Yes", rules: majSup, counts: c{"Yes": 3, "No": 2}, eligible: 6, want: models.ProposalPassed, cast: 5},
		{name: "support quorum: staying away gains opponents nothing", rules: majSup, counts: c{"Yes": 3}, eligible: 6, want: models.ProposalPassed, cast: 3},
		{name: "no votes, no quorum", rules: maj, counts: c{}, eligible: 4, want: models.ProposalFailedNoQuorum},
		{name: "empty electorate, quorum required: never met", rules: maj, counts: c{}, eligible: 0, want: models.ProposalFailedNoQuorum},
		{name: "empty electorate, no quorum needed, no Yes", rules: noQuorum, counts: c{}, eligible: 0, want: models.ProposalFailed},
		{name: "supermajority exactly 2/3 of cast passes", rules: sup, counts: c{"Yes": 4, "No": 2}, eligible: 9, want: models.ProposalPassed, cast: 6},
		{name: "supermajority just below fails", rules: sup, counts: c{"Yes": 3, "No": 2}, eligible: 9, want: models.ProposalFailed, cast: 5},
		{name: "supermajority ignores abstentions in the base", rules: sup, counts: c{"Yes": 2, "No": 1, "Abstain": 6}, eligible: 9, want: models.ProposalPassed, cast: 9},
		{name: "supermajority with only abstentions fails", rules: sup, counts: c{"Abstain": 5}, eligible: 9, want: models.ProposalFailed, cast: 5},
		{name: "supermajority below quorum", rules: sup, counts: c{"Yes": 2}, eligible: 9, want: models.ProposalFailedNoQuorum, cast: 2},
		{name: "supermajority of eligible exactly 2/3 of E", rules: supE, counts: c{"Yes": 6}, eligible: 9, want: models.ProposalPassed, cast: 6},
		{name: "supermajority of eligible: absentees count against", rules: supE, counts: c{"Yes": 5}, eligible: 9, want: models.ProposalFailed, cast: 5},
		{name: "supermajority of eligible, empty E fails", rules: supE, counts: c{}, eligible: 0, want: models.ProposalFailed},
		{name: "one Block blocks a clear supermajority", rules: supBlock, counts: c{"Yes": 8, "Block": 1}, eligible: 9, want: models.ProposalBlocked, cast: 9},
		{name: "Block below quorum still blocks", rules: supBlock, counts: c{"Block": 1}, eligible: 9, want: models.ProposalBlocked, cast: 1},
		{name: "no Block: supermajority decides", rules: supBlock, counts: c{"Yes": 2, "No": 1}, eligible: 9, want: models.ProposalPassed, cast: 3},
		{name: "consent passes at quorum", rules: consent, counts: c{"Consent": 2}, eligible: 4, want: models.ProposalPassed, cast: 2},
		{name: "consent: objection without a reason is not valid", rules: consent, counts: c{"Consent": 2, "Object": 1}, eligible: 4, want: models.ProposalPassed, cast: 3},
		{name: "consent: one valid objection blocks", rules: consent, counts: c{"Consent": 5, "Object": 1}, eligible: 6, objection: 1, want: models.ProposalBlocked, cast: 6},
		{name: "consent below quorum", rules: consent, counts: c{"Consent": 1}, eligible: 4, want: models.ProposalFailedNoQuorum, cast: 1},
		{name: "lazy consensus: silence passes (no quorum)", rules: lazyFail, counts: c{}, eligible: 50, want: models.ProposalPassed},
		{name: "lazy consensus: empty E passes", rules: lazyFail, counts: c{}, eligible: 0, want: models.ProposalPassed},
		{name: "lazy consensus: invalid objection passes", rules: lazyFail, counts: c{"Object": 3}, eligible: 50, want: models.ProposalPassed, cast: 3},
		{name: "lazy consensus: valid objection fails", rules: lazyFail, counts: c{"Object": 1}, eligible: 50, objection: 1, want: models.ProposalFailed, cast: 1},
		{name: "lazy consensus: valid objection escalates", rules: lazyEsc, counts: c{"Object": 1, "No objection": 4}, eligible: 50, objection: 1, want: models.ProposalFailed, cast: 5, escalated: true},
		{name: "choice: most votes wins", rules: choiceOne, counts: c{"Red": 3, "Green": 2}, eligible: 9, want: models.ProposalPassed, cast: 5, winner: "Red"},
		{name: "choice: tie for first fails", rules: choiceOne, counts: c{"Red": 2, "Green": 2, "Blue": 1}, eligible: 9, want: models.ProposalFailed, cast: 5},
		{name: "anyOf: quorum counts voters, not ballots", rules: choiceAny, counts: c{"Red": 2, "Green": 2, "Blue": 1}, voters: 2, eligible: 6, want: models.ProposalFailedNoQuorum, cast: 5},
		{name: "anyOf: approval winner", rules: choiceAny, counts: c{"Red": 3, "Green": 2}, voters: 3, eligible: 6, want: models.ProposalPassed, cast: 5, winner: "Red"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Tally(tc.rules, Input{Counts: tc.counts, Voters: tc.voters, Eligible: tc.eligible, ValidObjections: tc.objection})
			if r.State != tc.want || r.Cast != tc.cast || r.Winner != tc.winner || r.Escalated != tc.escalated {
				t.Fatalf("Tally = %s (cast %d, winner %q, escalated %v), want %s (cast %d, winner %q, escalated %v)",
					r.State, r.Cast, r.Winner, r.Escalated, tc.want, tc.cast, tc.winner, tc.escalated)
			}
		})
	}
}

// TestDecided: an early result only when no remaining voter can change it.
func TestDecided(t *testing.T) {
	type c = map[string]int64
	cases := []struct {
		name     string
		rules    Rules
		counts   c
		eligible int64
		decided  bool
		want     string
	}{
		{"majority: Yes > No + remaining", maj, c{"Yes": 6, "No": 1}, 10, true, models.ProposalPassed},
		{"majority: Yes = No + remaining is not decided (a tie fails)", maj, c{"Yes": 4, "No": 1}, 8, false, models.ProposalPassed},
		{"majority: No can no longer be beaten", maj, c{"Yes": 1, "No": 5}, 9, true, models.ProposalFailed},
		{"majority: quorum not yet met", maj, c{"Yes": 2}, 10, false, models.ProposalFailedNoQuorum},
		{"everyone voted", maj, c{"Yes": 2, "No": 2}, 4, true, models.ProposalFailed},
		{"supermajority of eligible reached", supE, c{"Yes": 6}, 9, true, models.ProposalPassed},
		{"Block: a remaining voter may still block", supBlock, c{"Yes": 8}, 9, false, models.ProposalPassed},
		{"Block: already blocked", supBlock, c{"Block": 1}, 9, true, models.ProposalBlocked},
		{"consent: all consented", consent, c{"Consent": 3}, 3, true, models.ProposalPassed},
		{"consent: someone may still object", consent, c{"Consent": 2}, 3, false, models.ProposalPassed},
		{"consent: an objection may still get its reason", consent, c{"Consent": 2, "Object": 1}, 3, false, models.ProposalPassed},
		{"lazy consensus never closes early", lazyFail, c{"No objection": 3}, 3, false, models.ProposalPassed},
		{"anyOf never closes early", choiceAny, c{"Red": 3, "Green": 1}, 3, false, models.ProposalPassed},
		{"choice: lead beyond the remaining", choiceOne, c{"Red": 5, "Green": 1}, 9, true, models.ProposalPassed},
		{"choice: remaining could tie", choiceOne, c{"Red": 4, "Green": 1}, 8, false, models.ProposalPassed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var voters int64
			if tc.rules.Multiple {
				voters = tc.counts["Red"] // every voter chose Red
			}
			r, ok := Decided(tc.rules, Input{Counts: tc.counts, Voters: voters, Eligible: tc.eligible})
			if ok != tc.decided || r.State != tc.want {
				t.Fatalf("Decided = %s, %v; want %s, %v", r.State, ok, tc.want, tc.decided)
			}
		})
	}
}

// TestKindsRegistered: every kind is in the registry, by name.
func TestKindsRegistered(t *testing.T) {
	for _, k := range []string{"motion", "admit_member", "remove_member", "grant_role", "revoke_role", "change_governance_settings", "accept_contribution", "amend_charter", "change_settings"} {
		if kinds[k] == nil || kinds[k].Name() != k {
			t.Errorf("kind %s not registered", k)
		}
	}
}
