package governance

import "github.com/commonsd/commonsd/models"

// Decision methods.
const (
	MethodMajority      = "majority"
	MethodSupermajority = "supermajority"
	MethodConsent       = "consent"
	MethodLazyConsensus = "lazy_consensus"
	// MethodChoice picks one of 2–4 options of the author's (a motion only):
	// the option with the most votes wins, a tie for first fails. With anyOf
	// (approval voting) a voter may choose several.
	MethodChoice = "choice"
)

// The fixed options of the methods, as voters see them (Mastodon matches a
// vote to an option by this exact name).
const (
	OptionYes         = "Yes"
	OptionNo          = "No"
	OptionAbstain     = "Abstain"
	OptionBlock       = "Block"
	OptionConsent     = "Consent"
	OptionObject      = "Object"
	OptionNoObjection = "No objection"
)

// Quorum kinds, supermajority bases, ballot modes, choice modes.
const (
	QuorumParticipation = "participation" // every ballot counts towards the quorum
	QuorumSupport       = "support"       // only Yes (Consent, the winner) counts
	BaseCast            = "cast"
	BaseEligible        = "eligible"
	BallotConfidential  = "confidential"
	BallotOpen          = "open"
	ChoiceOne           = "oneOf"
	ChoiceAny           = "anyOf"
	EscalateFail        = "fail"
	EscalateMajority    = "majority"
)

// Rules are the parameters of a proposal's method.
type Rules struct {
	Method        string
	QuorumNum     int64 // quorum: (participants or supporters)·QuorumDen ≥ QuorumNum·|E|
	QuorumDen     int64
	QuorumKind    string
	ThresholdNum  int64 // supermajority: Yes·d ≥ n·(Yes+No) (cast) or n·|E| (eligible)
	ThresholdDen  int64
	ThresholdBase string
	Block         bool   // supermajority: any Block ballot blocks
	Escalate      string // lazy consensus: what a valid objection does
	Options       []string
	Multiple      bool // anyOf
}

// RulesOf reads a proposal's rules.
func RulesOf(p *models.Proposal) Rules {
	return Rules{Method: p.Method, QuorumNum: int64(p.QuorumNum), QuorumDen: int64(p.QuorumDen), QuorumKind: p.QuorumKind,
		ThresholdNum: int64(p.ThresholdNum), ThresholdDen: int64(p.ThresholdDen), ThresholdBase: p.ThresholdBase,
		Block: p.Block, Escalate: p.Escalate, Options: Options(p), Multiple: p.Choice == ChoiceAny}
}

// Input is what a tally counts.
type Input struct {
	Counts   map[string]int64 // binding ballots by option
	Voters   int64            // distinct binding voters (= ballots unless anyOf)
	Eligible int64            // |E|
	// ValidObjections: Object ballots whose voter also replied to the
	// proposal with a reason before close (consent, lazy consensus).
	ValidObjections int64
}

// Result is a tally.
type Result struct {
	State     string // passed, failed, failed_no_quorum or blocked
	Counts    map[string]int64
	Cast      int64 // ballots
	Voters    int64 // T: distinct voters
	Eligible  int64 // |E|
	QuorumMet bool
	Winner    string // choice: the winning option
	// Escalated: a lazy consensus met a valid objection and the settings say
	// a majority vote follows.
	Escalated bool
}

// Tally decides with integer arithmetic only (never floats).
//   - Quorum: participation counts every voter, support only Yes (Consent,
//     the winner's votes); met when n·den ≥ num·|E| — and, when a quorum is
//     required at all, at least one voter took part (an empty electorate
//     decides nothing). Lazy consensus has no quorum.
//   - majority: Yes > No (a tie fails).
//   - supermajority: Yes·d ≥ n·(Yes+No) (base cast) or Yes·d ≥ n·|E| (base
//     eligible), with at least one Yes; with Block, any Block ballot blocks.
//   - consent: any valid objection blocks; otherwise passes if quorum is met.
//   - lazy consensus: passes unless a valid objection; then fails (escalated
//     to a majority vote when the rules say so).
//   - choice: the option with the most votes wins; a tie for first fails.
func Tally(r Rules, in Input) Result {
	counts := in.Counts
	if counts == nil {
		counts = map[string]int64{}
	}
	res := Result{Counts: counts, Eligible: in.Eligible, Voters: in.Voters}
	for _, n := range counts {
		res.Cast += n
	}
	if !r.Multiple && res.Voters == 0 {
		res.Voters = res.Cast
	}
	yes, no := counts[OptionYes], counts[OptionNo]
	support := yes
	switch r.Method {
	case MethodConsent:
		support = counts[OptionConsent]
	case MethodChoice:
		var best int64
		tie := false
		for _, o := range r.Options {
			switch n := counts[o]; {
			case n > best:
				best, res.Winner, tie = n, o, false
			case n == best && n > 0:
				tie = true
			}
		}
		if tie {
			res.Winner = ""
		}
		support = best
	}
	part := res.Voters
	if r.QuorumKind == QuorumSupport {
		part = support
	}
	res.QuorumMet = part*r.QuorumDen >= r.QuorumNum*in.Eligible && (r.QuorumNum == 0 || part > 0)
	var pass bool
	switch r.Method {
	case MethodMajority:
		pass = yes > no
	case MethodSupermajority:
		if r.Block && counts[OptionBlock] > 0 {
			res.State = models.ProposalBlocked
			return res
		}
		base := yes + no
		if r.ThresholdBase == BaseEligible {
			base = in.Eligible
		}
		pass = yes > 0 && yes*r.ThresholdDen >= r.ThresholdNum*base
	case MethodConsent:
		if in.ValidObjections > 0 {
			res.State = models.ProposalBlocked
			return res
		}
		pass = true
	case MethodLazyConsensus:
		res.QuorumMet = true
		pass = in.ValidObjections == 0
		res.Escalated = !pass && r.Escalate == EscalateMajority
	case MethodChoice:
		pass = res.Winner != ""
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

// Decided reports whether the outcome can no longer change whatever the
// voters who have not voted yet do, and the outcome if so: the tally as it is
// must equal the tally with every remaining voter choosing any one option
// (each method is monotone in each option's count, so the extremes bound every
// mix). Decision: only where ballots are final (a proposal opened with
// early_close: no vote changes, no Undo), only single choice, and never for a
// lazy consensus (its window is the point) or a consent with an Object ballot
// (a reason may still make it valid): a consent is decided early only when
// everyone consented.
func Decided(r Rules, in Input) (Result, bool) {
	now := Tally(r, in)
	if r.Multiple || r.Method == MethodLazyConsensus {
		return now, false
	}
	voters := in.Voters
	if voters == 0 {
		for _, n := range in.Counts {
			voters += n
		}
	}
	remaining := in.Eligible - voters
	if r.Method == MethodConsent {
		return now, remaining <= 0 && in.Counts[OptionObject] == 0
	}
	if remaining <= 0 {
		return now, true
	}
	for _, o := range r.Options {
		c := make(map[string]int64, len(in.Counts)+1)
		for k, v := range in.Counts {
			c[k] = v
		}
		c[o] += remaining
		if Tally(r, Input{Counts: c, Voters: voters + remaining, Eligible: in.Eligible}).State != now.State {
			return now, false
		}
	}
	return now, true
}
