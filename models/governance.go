package models

import "time"

// Proposal states (issue 11). open is the only state a ballot counts in; every
// other state is final.
const (
	ProposalOpen           = "open"
	ProposalPassed         = "passed"
	ProposalFailed         = "failed"
	ProposalFailedNoQuorum = "failed_no_quorum"
	ProposalWithdrawn      = "withdrawn"
	// ProposalBlocked: a Block ballot (supermajority with Block) or a valid
	// objection (consent) stopped it.
	ProposalBlocked = "blocked"
)

// Proposal is a decision a community takes by vote. Its options and motion never
// change while it is open. Quorum and threshold are fractions (numerator,
// denominator) so that the tally is integer arithmetic.
type Proposal struct {
	ID           string `gorm:"primaryKey;size:26"`
	URI          string `gorm:"size:2048;not null;uniqueIndex"` // the Question's id
	CommunityID  string `gorm:"size:26;not null;index"`         // the Group actor id
	AuthorID     string `gorm:"size:26;not null"`
	Kind         string `gorm:"size:32;not null"`
	Title        string `gorm:"size:300;not null"`
	Motion       string `gorm:"type:text"` // Markdown
	MotionHTML   string `gorm:"type:text"`
	Method       string `gorm:"size:16;not null"`
	QuorumNum    int    `gorm:"not null"`
	QuorumDen    int    `gorm:"not null"`
	ThresholdNum int    `gorm:"not null"`
	ThresholdDen int    `gorm:"not null"`
	Options      string `gorm:"type:text;not null"` // JSON list of option names
	Args         string `gorm:"type:text"`          // the kind's effect arguments (JSON)
	OpensAt      time.Time
	ClosesAt     time.Time `gorm:"not null;index"`
	State        string    `gorm:"size:16;not null;index"`
	Outcome      string    `gorm:"type:text"` // the result in words, set at close
	Tally        string    `gorm:"type:text"` // final counts (JSON), set at close
	ClosedAt     *time.Time
	// TallyDueAt is when the next Update{Question} with new tallies goes out
	// (nil: none pending); votes in between share it (debounce).
	TallyDueAt *time.Time
	// 0012: the rest of the method's parameters.
	Choice        string `gorm:"size:8;not null;default:oneOf"`          // oneOf or anyOf (method choice only)
	QuorumKind    string `gorm:"size:16;not null;default:participation"` // participation or support
	ThresholdBase string `gorm:"size:8;not null;default:cast"`           // cast or eligible (supermajority)
	Block         bool   `gorm:"not null;default:false"`                 // supermajority: a fourth option Block
	Escalate      string `gorm:"size:16;not null;default:''"`            // lazy consensus: fail or majority
	// EarlyClose: the proposal closes as soon as the outcome can no longer
	// change; its ballots are then final (no change, no Undo).
	EarlyClose bool   `gorm:"not null;default:false"`
	BallotMode string `gorm:"size:16;not null;default:confidential"` // confidential or open
	// RevisionOf is the proposal this one revises (withdrawn for it);
	// EscalatedFrom the lazy consensus whose objection opened this vote.
	RevisionOf    string `gorm:"size:26;not null;default:'';index"`
	EscalatedFrom string `gorm:"size:26;not null;default:''"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ProposalVoter is one member of E, the eligible voters frozen when the
// proposal opened.
type ProposalVoter struct {
	ProposalID string `gorm:"primaryKey;size:26"`
	ActorID    string `gorm:"primaryKey;size:26"`
}

// Ballot is the binding vote of an eligible voter: one per voter and slot,
// enforced by the unique index. Slot is "" for a single-choice proposal (one
// ballot per voter) and the option's name for anyOf (one per voter per
// option).
type Ballot struct {
	ID         string `gorm:"primaryKey;size:26"`
	ProposalID string `gorm:"size:26;not null;uniqueIndex:idx_ballot_slot;index:idx_ballot_tally,priority:1"`
	VoterID    string `gorm:"size:26;not null;uniqueIndex:idx_ballot_slot;index:idx_ballot_tally,priority:2"`
	Slot       string `gorm:"size:64;not null;default:'';uniqueIndex:idx_ballot_slot"`
	Option     string `gorm:"size:64;not null;index:idx_ballot_tally,priority:3"` // idx_ballot_tally covers the tally (0019)
	URI        string `gorm:"size:2048;not null;uniqueIndex"`                     // the vote's id (a remote Note's, or ours)
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// AdvisoryVote is the vote of someone outside E: kept and shown, never binding.
type AdvisoryVote struct {
	ID         string `gorm:"primaryKey;size:26"`
	ProposalID string `gorm:"size:26;not null;uniqueIndex:idx_advisory_slot"`
	VoterID    string `gorm:"size:26;not null;uniqueIndex:idx_advisory_slot"`
	Slot       string `gorm:"size:64;not null;default:'';uniqueIndex:idx_advisory_slot"`
	Option     string `gorm:"size:64;not null"`
	URI        string `gorm:"size:2048;not null;uniqueIndex"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Who may open proposals in a community (GovernanceSettings.WhoMayPropose).
const (
	ProposersMembers     = "members"
	ProposersMaintainers = "maintainers"
	ProposersStewards    = "stewards"
)

// GovernanceSettings are a community's rules for its proposals (one row per
// community; a community without one uses the defaults of
// service/governance). Kinds is a JSON object: kind name → the defaults of
// that kind's proposals (method and its parameters, window). Once Entrenched,
// the settings change only by a passed change_governance_settings proposal.
type GovernanceSettings struct {
	CommunityID   string `gorm:"primaryKey;size:26"`
	WhoMayPropose string `gorm:"size:16;not null;default:members"`
	Entrenched    bool   `gorm:"not null;default:false"`
	// ContributionsByProposal: contributions are accepted only by a passed
	// accept_contribution proposal, never by a maintainer alone.
	ContributionsByProposal bool   `gorm:"not null;default:false"`
	LazyEscalation          string `gorm:"size:16;not null;default:fail"` // fail or majority
	Kinds                   string `gorm:"type:text"`
	UpdatedAt               time.Time
}

// Poll is a remote Question (a Mastodon poll, another community's proposal)
// shown to our users: its options with their counts as last seen, kept beside
// the note that holds its text.
type Poll struct {
	NoteID      string `gorm:"primaryKey;size:26"`
	URI         string `gorm:"size:2048;not null;uniqueIndex"` // the Question's id
	Multiple    bool   `gorm:"not null;default:false"`         // anyOf
	Options     string `gorm:"type:text;not null"`             // JSON [{"name","count"}]
	VotersCount int64  `gorm:"not null;default:0"`
	EndTime     *time.Time
	ClosedAt    *time.Time
	UpdatedAt   time.Time
}

// PollVote is a local user's vote on a remote poll: one per user and option
// (a single-choice poll takes one), sent as Mastodon sends its own.
type PollVote struct {
	ID        string `gorm:"primaryKey;size:26"`
	NoteID    string `gorm:"size:26;not null;uniqueIndex:idx_poll_vote"`
	ActorID   string `gorm:"size:26;not null;uniqueIndex:idx_poll_vote"`
	Option    string `gorm:"size:64;not null;uniqueIndex:idx_poll_vote"`
	URI       string `gorm:"size:2048;not null;uniqueIndex"`
	CreatedAt time.Time
}
