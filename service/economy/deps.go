// Package economy is the ethical economy (issue 12): Organization actors
// (coalition partners and foundations), funding appeals, pledges and the
// append-only public ledger of economic events.
//
// Money is integer minor units of one ISO 4217 currency (models.Money); on
// the wire a decimal string with exactly the currency's digits. Currencies are
// never added together: every total is per currency.
//
// The ledger (ledger.go) is append-only: entries are ValueFlows economic
// events (kind pledge: a Commitment; receipt and disbursement: transfers).
// Nothing is updated or deleted; a mistake is backed out by a correcting entry
// of the opposite amount that names it (once: a unique index), then recorded
// anew. Totals — pledged, raised, disbursed, balance, pledge count — are SUM
// queries over the entries, never stored. A pledge is a promise: money counts
// as raised only when an admin of the author records its receipt.
//
// Appeals (appeals.go) move open → funded (raised reaches the goal) → closed
// (a job at the deadline), or open/funded → cancelled, each a conditional
// transition; pledges and receipts take the appeal's row first (HoldAppeal),
// so none slips past a close. Progress reaches followers as Update{Note}: at
// once when raised crosses 25/50/75/100 % of the goal and at close, otherwise
// debounced to at most one a day (progress.go).
//
// Arrows: economy → social (resolving handles), accounts (actors, keys),
// core; communities for a community's stewards.
package economy

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/communities"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the economy domain needs, passed explicitly.
type Deps struct {
	Store       Store
	Cfg         config.Config
	URLs        core.URLs
	Now         func() time.Time
	Log         *slog.Logger
	Pub         core.Publisher
	Jobs        core.Jobs
	Actors      *accounts.Actors
	Social      *social.Social
	Communities *communities.Communities
	// ProgressWindow is the least time between two progress Updates that
	// cross no milestone (a day).
	ProgressWindow time.Duration
}

// Economy is the economy service.
type Economy struct{ d Deps }

// New builds the economy service.
func New(d Deps) *Economy {
	if d.ProgressWindow == 0 {
		d.ProgressWindow = 24 * time.Hour
	}
	return &Economy{d: d}
}

// SetPublisher plugs in the federation edge, built after the services.
func (e *Economy) SetPublisher(p core.Publisher) { e.d.Pub = p }

// SetJobs plugs in the job queue (closing appeals, progress updates).
func (e *Economy) SetJobs(j core.Jobs) { e.d.Jobs = j }

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	LocalFollowerIDs(ctx context.Context, targetID string) ([]string, error)
	CreateAppeal(ctx context.Context, a *models.FundingAppeal) error
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	CreateOrganization(ctx context.Context, a *models.Actor, o *models.Organization, admin *models.OrganizationAdmin) error
	OrganizationByActorID(ctx context.Context, actorID string) (*models.Organization, error)
	AddOrganizationAdmin(ctx context.Context, a *models.OrganizationAdmin) error
	IsOrganizationAdmin(ctx context.Context, orgID, actorID string) (bool, error)
	OrganizationAdmins(ctx context.Context, orgID string) ([]string, error)
	ListOrganizations(ctx context.Context, limit, offset int) ([]models.Actor, error)
	AppealByID(ctx context.Context, id string) (*models.FundingAppeal, error)
	AppealByURI(ctx context.Context, uri string) (*models.FundingAppeal, error)
	ListAppeals(ctx context.Context, f store.AppealFilter, limit, offset int) ([]models.FundingAppeal, error)
	PledgeByID(ctx context.Context, id string) (*models.Pledge, error)
	PledgeByURI(ctx context.Context, uri string) (*models.Pledge, error)
	ListPledges(ctx context.Context, appealID string, states []string, limit, offset int) ([]models.Pledge, error)
	EntryByID(ctx context.Context, id string) (*models.EconomicEvent, error)
	ListEntries(ctx context.Context, sc store.LedgerScope, limit, offset int) ([]models.EconomicEvent, error)
	CountEntries(ctx context.Context, sc store.LedgerScope) (int64, error)
	LedgerTotals(ctx context.Context, sc store.LedgerScope) ([]store.LedgerTotal, error)
	CreatePartnership(ctx context.Context, p *models.Partnership) error
	PartnershipByID(ctx context.Context, id string) (*models.Partnership, error)
	PartnershipByOfferURI(ctx context.Context, uri string) (*models.Partnership, error)
	ActorByHandle(ctx context.Context, username, domain string) (*models.Actor, error)
	OpenPartnership(ctx context.Context, communityID, organizationID string) (*models.Partnership, error)
	DeliveredBy(ctx context.Context, orgID, groupID string, limit int) ([]models.EconomicEvent, error)
	ListPartnerships(ctx context.Context, f store.PartnershipFilter, limit, offset int) ([]models.Partnership, error)
	ContributorWeights(ctx context.Context, communityID string) ([]store.ContributorWeight, error)
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
	announcementStore // announcements.go
}

var _ Store = (*store.Store)(nil)
