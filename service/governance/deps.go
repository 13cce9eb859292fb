// Package governance is the governance domain (issue 11): a community's
// proposals, decided by its own rules, voted by its members from this instance
// and from their own servers (a Mastodon poll vote), with effects the community
// carries out when a proposal passes.
//
// The lifecycle: Propose freezes the electorate E (the community's active
// members at that instant) and schedules the close through the Jobs port at
// closes_at; Vote (a local member) and ReceiveVote (a remote actor) record a
// ballot while the proposal is open — binding for a voter in E (one per voter,
// a unique index in the database), advisory for anyone else (another table,
// never counted); Close tallies with integer arithmetic (tally.go), moves the
// proposal open → passed/failed/failed_no_quorum in one conditional
// transition, so two workers can never close it twice, and carries out the
// kind's effect in the same transaction. Withdraw (the author or a steward)
// moves open → withdrawn the same way.
//
// Kinds are a registry (kinds.go): one file per kind declares its arguments,
// their validation and its effect (kind_*.go).
//
// Decisions (where the issue leaves it open or this first slice stops):
//   - Who may propose: any active member (the default); the per-
//     community setting is not built yet.
//   - Methods: majority and supermajority (n/d of cast, n/d above one half so
//     that a tie never passes), options Yes / No / Abstain, quorum as
//     participation (all ballots count) as a fraction of |E|. A voter removed
//     from the community before the tally leaves E and their ballot with it.
//   - A local member may change their vote until close (the latest ballot
//     counts); a remote voter's first ballot counts and a second is ignored
//     (Mastodon cannot change a vote); Undo{Create{vote}} before close
//     withdraws it (ReceiveUnvote), after which they may vote again.
//   - The outcome is recorded in words on the proposal; when a passed
//     proposal's effect can no longer be carried out (the request was answered
//     meanwhile, the last steward), the proposal still passed and the outcome
//     says why nothing happened.
//
// Arrows: governance → core (ports, URLs), store, models, errs, content; the
// communities domain is reached through the Communities interface (its
// decided paths), plugged in by the facade.
package governance

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Communities is what governance asks of the communities domain.
type Communities interface {
	// Role is actor's active role in group ("" when not an active member).
	Role(ctx context.Context, group, actor *models.Actor) string
	// AdmitDecided and SetRoleDecided carry out a passed proposal's effect in tx.
	AdmitDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, byID string) error
	SetRoleDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, role, byID string) error
	// RemoveDecided and AcceptDecided: remove a member, accept a contribution.
	RemoveDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, byID string) error
	AcceptDecided(ctx context.Context, tx *store.Store, group *models.Actor, contributionID, byID string) error
	// CheckPatch and UpdateDecided: a community patch (JSON) for amend
	// charter (terms: charter and licence) and change settings (the rest),
	// checked at opening and applied at close with the charter history.
	CheckPatch(raw json.RawMessage, terms bool) (json.RawMessage, error)
	UpdateDecided(ctx context.Context, tx *store.Store, group *models.Actor, raw json.RawMessage, byID, proposalID string) error
}

// Partners is what governance asks of the economy domain (recognise_partner).
type Partners interface {
	IsPartner(ctx context.Context, group, org *models.Actor) bool
	RecogniseDecided(ctx context.Context, tx *store.Store, group, org *models.Actor, byID, proposalID string) error
}

// Deps is everything the governance domain needs, passed explicitly.
type Deps struct {
	Store       Store
	URLs        core.URLs
	Now         func() time.Time
	Log         *slog.Logger
	Pub         core.Publisher
	Jobs        core.Jobs
	Communities Communities
	// Partners carries out recognise_partner (nil: the kind is refused).
	Partners Partners
	// UpdateWindow debounces Update{Question} with new tallies: at most one
	// per proposal per window (federation.poll_update_window).
	UpdateWindow time.Duration
}

// Governance is the governance service.
type Governance struct{ d Deps }

// New builds the governance service.
func New(d Deps) *Governance { return &Governance{d: d} }

// SetPublisher plugs in the federation edge, which is built after the services.
func (g *Governance) SetPublisher(p core.Publisher) { g.d.Pub = p }

// SetJobs plugs in the job queue (closing proposals at their end time).
func (g *Governance) SetJobs(j core.Jobs) { g.d.Jobs = j }

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	ActorByHandle(ctx context.Context, username, domain string) (*models.Actor, error)
	CommunityByActorID(ctx context.Context, actorID string) (*models.Community, error)
	ContributionByID(ctx context.Context, id string) (*models.Contribution, error)
	Membership(ctx context.Context, communityID, actorID string) (*models.Membership, error)
	ProposalByID(ctx context.Context, id string) (*models.Proposal, error)
	ProposalByURI(ctx context.Context, uri string) (*models.Proposal, error)
	ListProposals(ctx context.Context, communityID string, limit, offset int) ([]models.Proposal, error)
	CountBallots(ctx context.Context, p *models.Proposal, multi bool) ([]store.VoteCount, int64, int64, error)
	BallotOf(ctx context.Context, proposalID, actorID string) (*models.Ballot, error)
	VoteByURI(ctx context.Context, uri string) (proposalID, voterID string, err error)
	GovernanceSettingsOf(ctx context.Context, communityID string) (*models.GovernanceSettings, error)
	CountAdvisoryByInstance(ctx context.Context, proposalID string) ([]store.InstanceCount, error)
	BallotsOf(ctx context.Context, proposalID, voterID string) ([]models.Ballot, error)
	OpenBallots(ctx context.Context, p *models.Proposal) ([]store.VoterChoice, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	TalliesOf(ctx context.Context, ids, multi []string) (*store.ProposalTallies, error)
	BallotsOfMany(ctx context.Context, ids []string, voterID string) (map[string][]models.Ballot, error)
	RevisionsOfMany(ctx context.Context, ids []string) (map[string]string, error)
	DecidedProposals(ctx context.Context, communityID string, limit int) ([]models.Proposal, error)
	RecentProposals(ctx context.Context, communityID string, limit int) ([]models.Proposal, error)
	UnvotedProposals(ctx context.Context, actorID string, now time.Time, limit int) ([]models.Proposal, error)
	NoteByID(ctx context.Context, id string) (*models.Note, error)
	PutPoll(ctx context.Context, p *models.Poll) error
	PollByNoteID(ctx context.Context, noteID string) (*models.Poll, error)
	PollsOf(ctx context.Context, noteIDs []string) (map[string]*models.Poll, error)
	PollVotesOf(ctx context.Context, noteID, actorID string) ([]models.PollVote, error)
	LedgerTotals(ctx context.Context, sc store.LedgerScope) ([]store.LedgerTotal, error)
	PollVotesOfMany(ctx context.Context, noteIDs []string, actorID string) (map[string][]models.PollVote, error)
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

var _ Store = (*store.Store)(nil)
