package governance

import "github.com/commonsd/commonsd/models"

// Decision methods.
const (
	MethodMajority      = "majority"
	MethodSupermajority = "supermajority"
)

// The options of majority and supermajority, as voters see them (Mastodon
// matches a vote to an option by this exact name).
const (
	OptionYes     = "Yes"
	OptionNo      = "No"
	OptionAbstain = "Abstain"
)

// Rules are the parameters of a proposal's method.
type Rules struct {
	Method       string
	QuorumNum    int64 // quorum: participation ≥ QuorumNum/QuorumDen of |E|
	QuorumDen    int64
	ThresholdNum int64 // supermajority: Yes ≥ ThresholdNum/ThresholdDen of Yes+No
	ThresholdDen int64
}

// Result is a tally.
type Result struct {
	State     string           // models.ProposalPassed, ProposalFailed or ProposalFailedNoQuorum
	Counts    map[string]int64 // binding ballots by option
	Cast      int64            // T: binding ballots cast
	Eligible  int64            // |E|
	QuorumMet bool
}

// Tally decides with integer arithmetic only (never floats): quorum when
// Cast·QuorumDen ≥ QuorumNum·|E|; majority passes when Yes > No (a tie
// fails); supermajority when Yes·d ≥ n·(Yes+No) with at least one Yes (n/d is
// above one half, so a tie fails too).
func Tally(r Rules, counts map[string]int64, eligible int64) Result {
	res := Result{Counts: counts, Eligible: eligible}
	for _, n := range counts {
		res.Cast += n
	}
	yes, no := counts[OptionYes], counts[OptionNo]
	res.QuorumMet = res.Cast*r.QuorumDen >= r.QuorumNum*eligible
	var pass bool
	switch r.Method {
	case MethodMajority:
		pass = yes > no
	case MethodSupermajority:
		pass = yes > 0 && yes*r.ThresholdDen >= r.ThresholdNum*(yes+no)
	}
	switch {
	case !res.QuorumMet:
		res.State = models.ProposalFailedNoQuorum
	case pass:
		res.State = models.ProposalPassed
	default:
		res.State = models.ProposalFailed
	}
	return res
}
