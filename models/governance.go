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
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ProposalVoter is one member of E, the eligible voters frozen when the
// proposal opened.
type ProposalVoter struct {
	ProposalID string `gorm:"primaryKey;size:26"`
	ActorID    string `gorm:"primaryKey;size:26"`
}

// Ballot is the binding vote of an eligible voter: one per voter (single
// choice), enforced by the unique index.
type Ballot struct {
	ID         string `gorm:"primaryKey;size:26"`
	ProposalID string `gorm:"size:26;not null;uniqueIndex:idx_ballot_voter"`
	VoterID    string `gorm:"size:26;not null;uniqueIndex:idx_ballot_voter"`
	Option     string `gorm:"size:64;not null"`
	URI        string `gorm:"size:2048;not null;uniqueIndex"` // the vote's id (a remote Note's, or ours)
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// AdvisoryVote is the vote of someone outside E: kept and shown, never binding.
type AdvisoryVote struct {
	ID         string `gorm:"primaryKey;size:26"`
	ProposalID string `gorm:"size:26;not null;uniqueIndex:idx_advisory_voter"`
	VoterID    string `gorm:"size:26;not null;uniqueIndex:idx_advisory_voter"`
	Option     string `gorm:"size:64;not null"`
	URI        string `gorm:"size:2048;not null;uniqueIndex"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}
