package models

import "time"

// Organization kinds (issue 12).
const (
	OrgCoalition  = "coalition"  // a business, co-op or freelancer living on the commons
	OrgFoundation = "foundation" // a for-benefit institution funding the commons
)

// Organization is the settings row of a local Organization actor (ActorID).
// Its name, description and logo are the actor's; PaymentLinks is a JSON list
// of Field {name, value: URL}, federated as PropertyValue profile fields and as
// FEP-0ea0 Links with rel "payment".
type Organization struct {
	ActorID      string `gorm:"primaryKey;size:26"`
	Kind         string `gorm:"size:16;not null"`
	Website      string `gorm:"size:2048"`
	PaymentLinks string `gorm:"type:text"`        // JSON []Field
	CreatedByID  string `gorm:"size:26;not null"` // the user who created it
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OrganizationAdmin is a local actor who may act for an organization.
type OrganizationAdmin struct {
	OrganizationID string `gorm:"primaryKey;size:26"` // the Organization actor id
	ActorID        string `gorm:"primaryKey;size:26;index"`
	AddedByID      string `gorm:"size:26"`
	CreatedAt      time.Time
}

// Funding appeal states: open → funded → closed, or cancelled. Pledges are
// taken while open or funded (and before the deadline).
const (
	AppealOpen      = "open"
	AppealFunded    = "funded"
	AppealClosed    = "closed"
	AppealCancelled = "cancelled"
)

// FundingAppeal is an appeal by a foundation or a community (AuthorID, local
// or remote) for money towards a goal in one currency before a deadline.
//
// The totals of a local appeal are never stored: they are sums over its
// ledger entries (EconomicEvent). A remote appeal's Remote* fields hold what
// its author last published, as received (the author's ledger is the truth).
type FundingAppeal struct {
	ID            string    `gorm:"primaryKey;size:26"`
	URI           string    `gorm:"size:2048;not null;uniqueIndex"` // the Note's id
	URL           string    `gorm:"size:2048"`
	AuthorID      string    `gorm:"size:26;not null;index"`
	Local         bool      `gorm:"not null"`
	Title         string    `gorm:"size:300;not null"`
	Purpose       string    `gorm:"type:text"` // Markdown (local appeals)
	PurposeHTML   string    `gorm:"type:text"` // sanitised HTML
	Currency      string    `gorm:"size:3;not null;index"`
	GoalMinor     int64     `gorm:"not null"`
	EndsAt        time.Time `gorm:"not null;index"`
	State         string    `gorm:"size:16;not null;index"`
	Beneficiaries []string  `gorm:"type:text;serializer:json"` // actor URIs
	PaymentLinks  string    `gorm:"type:text"`                 // JSON []Field
	Tiers         string    `gorm:"type:text"`                 // JSON []AppealTier
	Hashtag       string    `gorm:"size:100"`
	LedgerURI     string    `gorm:"size:2048"`
	// Remote appeals only (see the type's comment).
	RemoteRaised      int64 `gorm:"not null"`
	RemotePledged     int64 `gorm:"not null"`
	RemotePledgeCount int64 `gorm:"not null"`
	// ProgressQuarter is the last quarter (0–4) of the goal announced with an
	// Update; ProgressSentAt when the last progress Update went out.
	// ProgressDueAt is set while a debounced progress Update is scheduled.
	ProgressQuarter int `gorm:"not null"`
	ProgressSentAt  *time.Time
	ProgressDueAt   *time.Time
	ClosedAt        *time.Time
	CreatedAt       time.Time `gorm:"index"`
	UpdatedAt       time.Time
}

// AppealTier is a suggested amount of an appeal.
type AppealTier struct {
	Name    string `json:"name"`
	Minor   int64  `json:"minor"`
	Monthly bool   `json:"monthly"`
}

// Pledge states.
const (
	PledgePending  = "pending" // sent to a remote appeal's author, no answer yet
	PledgeAccepted = "accepted"
	PledgeRejected = "rejected"
)

// Pledge is a promise of an amount to an appeal, by a local actor (a user or an
// organization) or a remote one (Offer{Agreement}). URI is the Offer's id.
type Pledge struct {
	ID          string `gorm:"primaryKey;size:26"`
	URI         string `gorm:"size:2048;not null;uniqueIndex"`
	AppealID    string `gorm:"size:26;not null;index"`
	PledgerID   string `gorm:"size:26;not null;index"`
	AmountMinor int64  `gorm:"not null"`
	Currency    string `gorm:"size:3;not null"`
	Monthly     bool   `gorm:"not null"`
	Anonymous   bool   `gorm:"not null"`
	Message     string `gorm:"type:text"`
	State       string `gorm:"size:16;not null"`
	Reason      string `gorm:"type:text"` // why it was rejected
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Kinds of ledger entry.
const (
	EntryPledge       = "pledge"       // a commitment (VF Commitment) to an appeal
	EntryReceipt      = "receipt"      // money received (VF EconomicEvent, transfer)
	EntryDisbursement = "disbursement" // money paid out (VF EconomicEvent, transfer)
	EntryPayout       = "payout"       // a pending payout commitment (a bounty)
)

// EconomicEvent is one entry of the append-only public ledger of an
// organization or a community (LedgerID, its actor id), in ValueFlows terms:
// action, provider, receiver, resource quantity (AmountMinor, Currency), point
// in time, what it fulfils (a pledge's id) or corrects. Entries are never
// updated or deleted: a mistake is backed out by a correcting entry with the
// opposite amount whose Corrects names it (at most one per entry: a unique
// index), and the right entry is then recorded anew.
type EconomicEvent struct {
	ID           string    `gorm:"primaryKey;size:26"`
	LedgerID     string    `gorm:"size:26;not null;index"`
	AppealID     *string   `gorm:"size:26;index"`
	Kind         string    `gorm:"size:16;not null"`
	Action       string    `gorm:"size:32;not null"` // ValueFlows action
	ProviderID   string    `gorm:"size:26;not null"`
	ReceiverID   string    `gorm:"size:26;not null"`
	AmountMinor  int64     `gorm:"not null"` // negative only on a correcting entry
	Currency     string    `gorm:"size:3;not null"`
	PointInTime  time.Time `gorm:"not null"`
	Fulfills     string    `gorm:"size:26"` // the pledge a receipt fulfils
	Corrects     *string   `gorm:"size:26;uniqueIndex"`
	Anonymous    bool      `gorm:"not null"` // the provider's name is not shown
	Note         string    `gorm:"type:text"`
	RecordedByID string    `gorm:"size:26"`
	CreatedAt    time.Time `gorm:"index"`
}

// Money returns the entry's amount.
func (e *EconomicEvent) Money() Money { return Money{Minor: e.AmountMinor, Currency: e.Currency} }

// Partnership states: requested → active → ended, or requested → ended
// (declined or withdrawn). Each move is a conditional transition.
const (
	PartnershipRequested = "requested"
	PartnershipActive    = "active"
	PartnershipEnded     = "ended"
)

// Partnership is an organization's recognition by a community (issue 12): the
// organization (OrganizationID, a local or remote Organization actor) asks
// the community (CommunityID, its Group actor) with a reciprocity pledge in
// words (Pledge) and in measurable terms (Terms, e.g. "5 % of revenue from
// the commons; 10 hours a month"). OpenKey is "community:organization" while
// requested or active and NULL once ended: a unique index, so an
// organization has at most one open partnership with a community, even
// under racing requests.
type Partnership struct {
	ID             string  `gorm:"primaryKey;size:26"`
	CommunityID    string  `gorm:"size:26;not null;index"`
	OrganizationID string  `gorm:"size:26;not null;index"`
	State          string  `gorm:"size:16;not null"`
	OpenKey        *string `gorm:"size:60;uniqueIndex"`
	Pledge         string  `gorm:"type:text"`
	Terms          string  `gorm:"type:text"`
	RequestedByID  string  `gorm:"size:26;not null"`
	DecidedByID    string  `gorm:"size:26"`
	// ProposalID is the recognise_partner proposal that decided it, if any.
	ProposalID string `gorm:"size:26"`
	EndedByID  string `gorm:"size:26"`
	CreatedAt  time.Time
	DecidedAt  *time.Time
	EndedAt    *time.Time

	// OfferURI is the id of the Offer{Agreement} that asked for it over
	// federation: ours when a local organization asked a remote community,
	// the organization's when a remote one asked us. Nil for a request made
	// here for a local community, and for a remote community's partnership
	// learnt from its Add (unique: a duplicate Offer changes nothing).
	OfferURI *string `gorm:"size:2048;uniqueIndex"`
	// The measurable terms, structured (migration 0021), compared with the
	// ledger on the partner's page: an amount per month (TermsMinor in
	// TermsCurrency, integer minor units), hours per month, and a share of
	// revenue in basis points (500 = 5 %). Zero: not promised.
	TermsMinor     int64
	TermsCurrency  string `gorm:"size:3"`
	TermsHours     int
	TermsPercentBP int
}
