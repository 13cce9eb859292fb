// Package communities is the communities domain: communities (Group actors,
// FEP-1b12), membership and roles, contributions to their commons, review,
// credit confirmation and the contributor ledger.
//
// Arrows: communities → social → accounts. Communities calls social (resolving
// handles, posting review notes) and accounts (actors, the request rate limit)
// directly; social calls back through social.CommunityHooks, which Hooks
// implements. It sees the store only through Store; inside a transaction it
// gets the whole *store.Store (see package social for why).
package communities

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the communities domain needs, passed explicitly (no hub).
type Deps struct {
	Store    Store
	Cfg      config.Config
	URLs     core.URLs
	Now      func() time.Time
	Log      *slog.Logger
	Pub      core.Publisher
	Accounts *accounts.Accounts
	Actors   *accounts.Actors
	Social   *social.Social
	// Notify records notifications in the transaction of the change.
	Notify *notifications.Notifications
}

// New builds the communities service.
func New(d Deps) *Communities { return &Communities{d: d} }

// SetPublisher plugs in the federation edge, which is built after the services.
func (c *Communities) SetPublisher(p core.Publisher) { c.d.Pub = p }

// Hooks returns the callbacks social makes into this domain.
func (c *Communities) Hooks() social.CommunityHooks { return hooks{c} }

// hooks adapts Communities to social.CommunityHooks, keeping the unexported
// rules out of Communities' own API.
type hooks struct{ c *Communities }

var _ social.CommunityHooks = hooks{}

func (h hooks) Resolve(ctx context.Context, handle string) (*models.Actor, *models.Community, error) {
	return h.c.Resolve(ctx, handle)
}
func (h hooks) ByActor(ctx context.Context, group *models.Actor) (*models.Community, error) {
	return h.c.ByActor(ctx, group)
}
func (h hooks) MayPost(ctx context.Context, group *models.Actor, com *models.Community, author *models.Actor) error {
	return h.c.mayPost(ctx, group, com, author)
}
func (h hooks) ThreadOpen(ctx context.Context, inReplyTo string) error {
	return h.c.threadOpen(ctx, inReplyTo)
}
func (h hooks) Relay(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, created string) error {
	return h.c.relay(ctx, tx, group, n, created)
}
func (h hooks) RelayChange(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, activity string) error {
	return h.c.relayChange(ctx, tx, group, n, activity)
}
func (h hooks) Maintainers(ctx context.Context, group *models.Actor) ([]store.MemberRow, error) {
	return h.c.Maintainers(ctx, group)
}
func (h hooks) UnfollowedBy(ctx context.Context, group, follower *models.Actor) error {
	return h.c.UnfollowedBy(ctx, group, follower)
}
func (h hooks) ConfirmByMessage(ctx context.Context, author *models.Actor, n *models.Note, in social.RemoteNote) {
	h.c.ConfirmByMessage(ctx, author, n, in)
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	// profile pages
	CountNotesBy(ctx context.Context, authorID string, visibilities []string) (int64, error)
	ListNotesBy(ctx context.Context, authorID string, visibilities []string, limit, offset int) ([]models.Note, error)
	NoteTagsOf(ctx context.Context, noteIDs []string) (map[string][]models.NoteTag, error)
	CountFollowers(ctx context.Context, targetID string) (int64, error)
	CountFollowing(ctx context.Context, followerID string) (int64, error)
	CommunitiesOf(ctx context.Context, actorID string, publicOnly bool, limit int) ([]store.CommunityOfMember, error)
	ContributionsBy(ctx context.Context, actorID string, states []string, limit int) ([]models.Contribution, error)

	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	GovernanceSettingsOf(ctx context.Context, communityID string) (*models.GovernanceSettings, error)
	MarkNoteDeleted(ctx context.Context, id string, at time.Time) error
	SetNoteLocked(ctx context.Context, id string, locked bool) error
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	CommunityByActorID(ctx context.Context, actorID string) (*models.Community, error)
	CharterVersions(ctx context.Context, communityID string) ([]models.CharterVersion, error)
	ContributionRevisions(ctx context.Context, contributionID string) ([]models.ContributionRevision, error)
	ContributionRevisionByURI(ctx context.Context, uri string) (*models.ContributionRevision, error)
	UserByID(ctx context.Context, id string) (*models.User, error)
	LikeCounts(ctx context.Context, objectURIs []string) (map[string]int64, error)
	ContributionByID(ctx context.Context, id string) (*models.Contribution, error)
	ContributionByOfferURI(ctx context.Context, uri string) (*models.Contribution, error)
	ContributionByURI(ctx context.Context, uri string) (*models.Contribution, error)
	CountContributions(ctx context.Context, communityID string, states []string) (int64, error)
	CountLedger(ctx context.Context, communityID string) (int64, error)
	CountMembers(ctx context.Context, communityID string, roles []string) (int64, error)
	CreateCommunity(ctx context.Context, a *models.Actor, c *models.Community, owner *models.Membership) error
	IsBlocked(ctx context.Context, actorID, targetID string) (bool, error)
	Ledger(ctx context.Context, communityID string, limit, offset int) ([]models.LedgerEntry, error)
	LedgerEntryByID(ctx context.Context, id string) (*models.LedgerEntry, error)
	ListCommunities(ctx context.Context, q string, limit, offset int) ([]models.Actor, error)
	ListContributions(ctx context.Context, communityID string, states []string, q string, limit, offset int) ([]models.Contribution, error)
	ListDiscussions(ctx context.Context, groupURI string, limit, offset int) ([]models.Note, error)
	ListMembers(ctx context.Context, communityID, state string, roles []string, limit, offset int) ([]store.MemberRow, error)
	ListReplies(ctx context.Context, noteURI string, limit int) ([]models.Note, error)
	ListRoleChanges(ctx context.Context, communityID string, limit int) ([]models.RoleChange, error)
	LogRoleChange(ctx context.Context, log *models.RoleChange) error
	Membership(ctx context.Context, communityID, actorID string) (*models.Membership, error)
	MembershipByID(ctx context.Context, id string) (*models.Membership, error)
	MembershipByURI(ctx context.Context, uri string) (*models.Membership, error)
	NoteByID(ctx context.Context, id string) (*models.Note, error)
	NoteByURI(ctx context.Context, uri string) (*models.Note, error)
	PutMembership(ctx context.Context, m *models.Membership) error
	RemoveMembership(ctx context.Context, id string, from []string) error
	RemoveMembershipAsRead(ctx context.Context, m *models.Membership) error
	ReviewComments(ctx context.Context, contributionID string) ([]models.ReviewComment, error)
	SetContributors(ctx context.Context, id, state, oldPending string, contributors []string, pending string, entries []models.LedgerEntry) (bool, error)
	SetLedgerWeight(ctx context.Context, id string, weight int, by string) error
	TransitionContribution(ctx context.Context, id string, from []string, to string, extra map[string]any) error
	TransitionMembership(ctx context.Context, id string, from []string, to string, extra map[string]any, log *models.RoleChange) error
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

var _ Store = (*store.Store)(nil)
