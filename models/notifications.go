package models

import "time"

// Notification kinds. The list is open: a domain adds its own kind (proposals,
// appeals) by using a new constant; nothing else switches on the whole list
// except the pages' wording, which falls back to a generic sentence.
const (
	NotifyMention                    = "mention"
	NotifyReply                      = "reply"
	NotifyFollow                     = "follow"
	NotifyFollowRequest              = "follow_request"
	NotifyMembershipRequest          = "membership_request"
	NotifyMembershipDecision         = "membership_decision" // Detail: accepted | rejected
	NotifyCommunityInvitation        = "community_invitation"
	NotifyContributionAwaitingReview = "contribution_awaiting_review"
	NotifyReviewComment              = "review_comment"
	NotifyChangesRequested           = "changes_requested"
	NotifyContributionAccepted       = "contribution_accepted"
	NotifyContributionRejected       = "contribution_rejected"
	NotifyRoleChange                 = "role_change" // Detail: the new role ("" when removed)
	NotifyReport                     = "report"
)

// Notification tells a local account (RecipientID, an actor id) that something
// happened: Kind, caused by ActorID, about the objects it names (ids of notes,
// communities (Group actor ids), contributions, reports, proposals). DedupeKey is
// unique: the same event delivered twice (a retried inbox job, a redelivered
// activity) notifies once.
type Notification struct {
	ID             string    `gorm:"primaryKey;size:26"`
	RecipientID    string    `gorm:"size:26;not null;index:idx_notifications_recipient,priority:1"`
	Kind           string    `gorm:"size:40;not null"`
	ActorID        string    `gorm:"size:26"`
	NoteID         string    `gorm:"size:26"`
	CommunityID    string    `gorm:"size:26"`
	ContributionID string    `gorm:"size:26"`
	ReportID       string    `gorm:"size:26"`
	ProposalID     string    `gorm:"size:26"`
	Detail         string    `gorm:"type:text"`
	DedupeKey      string    `gorm:"size:400;not null;uniqueIndex"`
	CreatedAt      time.Time `gorm:"index:idx_notifications_recipient,priority:2"`
	ReadAt         *time.Time
}

// NotificationSetting is a local account's e-mail choices: the kinds that are
// e-mailed (a JSON list), and whether they come as one daily digest instead of
// one mail each. DigestDueAt is when the next digest goes out (nil: none
// scheduled); it is taken by a conditional update so that one digest is sent.
type NotificationSetting struct {
	ActorID     string `gorm:"primaryKey;size:26"`
	EmailKinds  string `gorm:"type:text"`
	Digest      bool   `gorm:"not null"`
	DigestDueAt *time.Time
	UpdatedAt   time.Time
}
