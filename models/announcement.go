package models

import "time"

// Kinds of coalition announcement (issue 12).
const (
	AnnouncementJob     = "job"
	AnnouncementService = "service"
	AnnouncementGoods   = "goods"
	AnnouncementBounty  = "bounty"
	AnnouncementEvent   = "event"
)

// AnnouncementKinds lists the kinds in the order forms show them.
var AnnouncementKinds = []string{AnnouncementJob, AnnouncementService, AnnouncementGoods, AnnouncementBounty, AnnouncementEvent}

// Announcement states: a bounty is open until a contribution claiming it is
// accepted (then closed), and paid once its organization confirms the
// payment; the other kinds stay open.
const (
	AnnouncementOpen   = "open"
	AnnouncementClosed = "closed" // a bounty whose claim was accepted: payout pending
	AnnouncementPaid   = "paid"   // a bounty whose organization confirmed the payment
)

// Pay notes of an announcement without an amount.
const (
	PayUnpaid    = "unpaid"
	PayVolunteer = "volunteer"
)

// Announcement is an organization's coalition announcement (issue 12): a job,
// service, goods, bounty or event, published as a Note (NoteID, the row
// timelines show) with FEP-0837 Proposal fields. The price or pay is
// PriceMinor in Currency (Currency "" when none; PayNote "unpaid" or
// "volunteer" may say so); a bounty's price is its payout. At is the
// deadline, or the event's time. Communities are the actor URIs of the
// communities it is addressed to; each local one decides to relay it or not
// (AnnouncementRelay).
type Announcement struct {
	ID          string     `gorm:"primaryKey;size:26"`
	URI         string     `gorm:"size:2048;not null;uniqueIndex"`
	URL         string     `gorm:"size:2048"`
	NoteID      string     `gorm:"size:26"`
	AuthorID    string     `gorm:"size:26;not null;index"`
	Local       bool       `gorm:"not null"`
	Kind        string     `gorm:"size:16;not null"`
	Purpose     string     `gorm:"size:16;not null"` // FEP-0837: offer or request
	Title       string     `gorm:"size:300;not null"`
	Body        string     `gorm:"type:text"` // Markdown (local announcements)
	BodyHTML    string     `gorm:"type:text"` // sanitised HTML
	ForWhom     string     `gorm:"size:500"`
	PriceMinor  int64      `gorm:"not null"`
	Currency    string     `gorm:"size:3"`
	PayNote     string     `gorm:"size:16"`
	At          *time.Time // deadline or event time
	Link        string     `gorm:"size:2048"`
	Communities []string   `gorm:"type:text;serializer:json"` // addressed community actor URIs
	State       string     `gorm:"size:16;not null"`
	ClosedAt    *time.Time
	CreatedAt   time.Time `gorm:"index"`
}

// Price is the announcement's amount, ok false when it has none.
func (a *Announcement) Price() (Money, bool) {
	if a.Currency == "" {
		return Money{}, false
	}
	return Money{Minor: a.PriceMinor, Currency: a.Currency}, true
}

// States of an announcement at a local community.
const (
	RelayHeld      = "held"      // waiting for a maintainer (the author is not a partner)
	RelayAnnounced = "announced" // the Group announced it to its followers
	RelayIgnored   = "ignored"   // a maintainer let it be
)

// AnnouncementRelay is what a local community (CommunityID, its Group actor
// id) did with an announcement addressed to it: announced at once (the
// author is a recognised partner), or held for its maintainers, who approve
// (announced) or ignore it. One row per pair (the primary key), so a
// re-delivered announcement is never relayed twice.
type AnnouncementRelay struct {
	CommunityID    string `gorm:"primaryKey;size:26"`
	AnnouncementID string `gorm:"primaryKey;size:26"`
	State          string `gorm:"size:16;not null"`
	DecidedByID    string `gorm:"size:26"`
	CreatedAt      time.Time
	DecidedAt      *time.Time
}

// BountyClaim is a contribution's claim of a bounty (an Announcement of kind
// bounty known here). When the contribution is accepted the bounty closes
// and its payout is recorded in the ledger as pending commitments to the
// contributors (EntryPayout, Fulfills the bounty's id); the organization's
// confirmation appends transfers (EntryPayment, Fulfills the payout entry).
type BountyClaim struct {
	ContributionID string `gorm:"primaryKey;size:26"`
	BountyID       string `gorm:"size:26;not null;index"`
	CreatedAt      time.Time
}

// EntryPayment is a transfer that fulfils a payout commitment (a bounty paid).
const EntryPayment = "payment"
