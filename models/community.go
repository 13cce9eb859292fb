package models

import "time"

// Community policies.
const (
	PolicyOpen        = "open"        // anyone may join / post / offer
	PolicyMembers     = "members"     // members only
	PolicyMaintainers = "maintainers" // maintainers only
	PolicyApproval    = "approval"    // membership: maintainers approve requests
	PolicyInvitation  = "invitation"  // membership: by invitation only
)

// Community roles, ordered by power.
const (
	RoleCommunityMember     = "member"
	RoleCommunityMaintainer = "maintainer"
	RoleCommunitySteward    = "steward"
)

// Membership states.
const (
	MembershipPending = "pending"
	MembershipActive  = "active"
	MembershipInvited = "invited"
	// MembershipAwaitingFollow records that someone asked, on the community's web
	// page, to join with an account on another server that cannot send Join
	// (Mastodon). Anyone can type anyone's handle, so it waits for the account's
	// owner to confirm: a message from that account to the Group carrying the
	// request's code (see service.JoinCode) turns it into a request under the
	// membership policy; a Follow alone does not. The name is kept from when a
	// Follow confirmed it (the state column is 16 wide). It expires.
	MembershipAwaitingFollow = "awaiting_follow"
)

// AwaitingFollowTTL is how long an awaiting_follow membership waits for the Follow.
const AwaitingFollowTTL = 7 * 24 * time.Hour

// Contribution states.
const (
	ContributionOpen             = "open"
	ContributionChangesRequested = "changes_requested"
	ContributionAccepted         = "accepted"
	ContributionRejected         = "rejected"
	// ContributionWithdrawn: the contributor took the offer back before a
	// decision (Undo{Offer} from another server).
	ContributionWithdrawn = "withdrawn"
)

// ContributionKinds are the kinds of work a commons records.
var ContributionKinds = []string{"code", "knowledge", "design", "translation", "care", "other"}

// Community is the commons-specific side of a Group actor. For a remote community
// only the actor row exists; this row is for local ones.
type Community struct {
	ActorID          string `gorm:"primaryKey;size:26"`
	Licence          string `gorm:"size:64;not null"` // SPDX id, or "PPL" (Peer Production License)
	Charter          string `gorm:"type:text"`        // Markdown
	CharterHTML      string `gorm:"type:text"`
	Links            string `gorm:"type:text"` // JSON [{"name","value"}]
	PostingPolicy    string `gorm:"size:16;not null"`
	OfferPolicy      string `gorm:"size:16;not null"`
	MembershipPolicy string `gorm:"size:16;not null"`
	MembersPublic    bool   `gorm:"not null"`
	WeightMin        int    `gorm:"not null"`
	WeightMax        int    `gorm:"not null"`
	CreatedByID      string `gorm:"size:26"` // user id
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Membership ties an actor (local or remote) to a community with a role.
type Membership struct {
	ID          string `gorm:"primaryKey;size:26"`
	CommunityID string `gorm:"size:26;not null;uniqueIndex:idx_membership_pair;index:idx_membership_state,priority:1"` // the Group actor id
	ActorID     string `gorm:"size:26;not null;uniqueIndex:idx_membership_pair;index;index:idx_membership_state,priority:3"`
	Role        string `gorm:"size:16;not null"`
	State       string `gorm:"size:16;not null;index:idx_membership_state,priority:2"` // idx_membership_state: "active member of" by index alone (0019)
	URI         string `gorm:"size:2048;index"`                                        // the Join activity's id
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RoleChange is the log of membership and role changes.
type RoleChange struct {
	ID          string `gorm:"primaryKey;size:26"`
	CommunityID string `gorm:"size:26;not null;index"`
	ActorID     string `gorm:"size:26;not null"`
	ByID        string `gorm:"size:26"`
	OldRole     string `gorm:"size:16"`
	NewRole     string `gorm:"size:16"`
	CreatedAt   time.Time
}

// Contribution is work offered to a commons. Local offers have URIs on this
// instance; a remote contributor's offer keeps its origin id and we keep a copy.
type Contribution struct {
	ID            string   `gorm:"primaryKey;size:26"`
	URI           string   `gorm:"size:2048;not null;uniqueIndex"`
	OfferURI      string   `gorm:"size:2048;index"`
	CommunityID   string   `gorm:"size:26;not null;index"`    // Group actor id (local or remote)
	ContributorID string   `gorm:"size:26;not null;index"`    // first contributor
	Contributors  []string `gorm:"type:text;serializer:json"` // actor URIs, stored as a JSON array
	Title         string   `gorm:"size:300;not null"`
	Body          string   `gorm:"type:text"` // Markdown
	BodyHTML      string   `gorm:"type:text"`
	Kind          string   `gorm:"size:16;not null"`
	Links         []string `gorm:"type:text;serializer:json"` // URLs, stored as a JSON array
	// Attachments is a JSON list of Attachment: files uploaded here (kept in the
	// media table) or, for a remote offer, the Documents it carries (URLs only).
	Attachments string     `gorm:"type:text"`
	Licence     string     `gorm:"size:64;not null"`
	State       string     `gorm:"size:24;not null;index"`
	Reason      string     `gorm:"type:text"` // rejection reason
	Local       bool       `gorm:"not null"`  // offered from this instance
	DecidedByID string     `gorm:"size:26"`
	AcceptedAt  *time.Time `gorm:"index"`
	CreatedAt   time.Time  `gorm:"index"`
	UpdatedAt   time.Time

	// PendingContributors are co-contributors named by the offer who have not
	// confirmed yet (JSON list of actor URIs): they are shown as such and get no
	// ledger credit until they confirm (then they move to Contributors).
	PendingContributors string `gorm:"type:text;not null;default:''"`

	// Revision is the number of the current revision (1 until the contributor
	// revises the offer; earlier ones are kept in contribution_revisions).
	Revision int `gorm:"not null;default:1"`
	// EditedAt is when the current revision was made (nil: never revised).
	EditedAt *time.Time
}

// ContributionRevision is one version of an offer's text, links and files, kept
// when the contributor revises it: the contribution row holds the newest, this
// table every one (the first is written when the second is made).
type ContributionRevision struct {
	ID             string   `gorm:"primaryKey;size:26"`
	ContributionID string   `gorm:"size:26;not null;uniqueIndex:idx_revision_number"`
	Number         int      `gorm:"not null;uniqueIndex:idx_revision_number"`
	Title          string   `gorm:"size:300;not null"`
	Body           string   `gorm:"type:text"` // Markdown
	BodyHTML       string   `gorm:"type:text"`
	Links          []string `gorm:"type:text;serializer:json"`
	Attachments    string   `gorm:"type:text"` // JSON list of Attachment
	AuthorID       string   `gorm:"size:26"`   // the actor who revised it
	// URI is the id of the Update activity that brought a remote revision
	// (empty for local ones and the first revision).
	URI       string `gorm:"size:2048;index"`
	CreatedAt time.Time
}

// CharterVersion is one version of a community's charter and licence: every
// change of either is a new version, numbered from 1 (the founding terms, written
// when the first change is made). A contribution keeps the licence it was offered
// under; a new licence applies to contributions offered after the change.
type CharterVersion struct {
	ID          string `gorm:"primaryKey;size:26"`
	CommunityID string `gorm:"size:26;not null;uniqueIndex:idx_charter_version"`
	Version     int    `gorm:"not null;uniqueIndex:idx_charter_version"`
	Charter     string `gorm:"type:text"` // Markdown
	CharterHTML string `gorm:"type:text"`
	Licence     string `gorm:"size:64;not null"`
	AuthorID    string `gorm:"size:26"` // actor id of the steward (or the proposal's author)
	ProposalID  string `gorm:"size:26"` // the governance proposal that decided it, if any
	CreatedAt   time.Time
}

// Attachment is a file attached to a contribution, as its ActivityPub Document shows it.
type Attachment struct {
	URL       string `json:"url"`
	MediaType string `json:"media_type"`
	Name      string `json:"name,omitempty"`
	Size      int64  `json:"size,omitempty"`
}

// MaxAttachments is how many files a contribution may carry.
const MaxAttachments = 4

// ReviewComment is a maintainer's (or the contributor's) comment on a contribution.
type ReviewComment struct {
	ID             string `gorm:"primaryKey;size:26"`
	ContributionID string `gorm:"size:26;not null;index"`
	AuthorID       string `gorm:"size:26;not null"`
	Body           string `gorm:"type:text"`
	BodyHTML       string `gorm:"type:text"`
	RequestChanges bool   `gorm:"not null"`
	// Revision is the contribution's revision the comment was written on.
	Revision  int `gorm:"not null;default:1"`
	CreatedAt time.Time
}

// LedgerEntry records one contributor's share of one accepted contribution: the
// basis for distributing funds and weighting trust.
type LedgerEntry struct {
	ID             string    `gorm:"primaryKey;size:26"`
	CommunityID    string    `gorm:"size:26;not null;index"`
	ContributionID string    `gorm:"size:26;not null;uniqueIndex:idx_ledger_pair"`
	ContributorID  string    `gorm:"size:26;not null;uniqueIndex:idx_ledger_pair;index"`
	Kind           string    `gorm:"size:16;not null"`
	Weight         int       `gorm:"not null"`
	SetByID        string    `gorm:"size:26"`
	RecordedAt     time.Time `gorm:"index"`
}
