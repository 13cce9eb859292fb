// Package social is the social domain: follows, notes (posting, receiving,
// deleting), boosts, likes, blocks, reports, timelines and tags.
//
// Arrows: social calls accounts (actors) directly. It must also call the
// communities domain (a post addressed to a community obeys its posting rule and
// is relayed by its Group in the post's transaction; a received reply may
// confirm a join or a credit), but communities calls social (it resolves
// handles and posts review notes), so that reverse edge is the CommunityHooks
// interface declared here and implemented by communities.Hooks; the facade
// (package service) plugs it in with SetCommunityHooks.
//
// It sees the store only through Store, the methods it uses. Inside a
// transaction (Store.Tx) it gets the whole *store.Store, because the ports it
// hands the transaction to (core.Publisher) take one; a generic Tx over the
// narrow interface would need every port to take it as well.
package social

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the social domain needs, passed explicitly (no hub).
type Deps struct {
	Store      Store
	Cfg        config.Config
	URLs       core.URLs
	Now        func() time.Time
	Log        *slog.Logger
	Pub        core.Publisher
	Resolver   core.Resolver     // nil: remote actors cannot be resolved
	Domains    core.DomainPolicy // nil: every domain is allowed
	Visibility core.Visibility
	Actors     *accounts.Actors
	// Notify records notifications in the transaction of the change.
	Notify *notifications.Notifications
}

// New builds the social service. Call SetCommunityHooks before use.
func New(d Deps) *Social { return &Social{d: d} }

// SetPorts plugs in the federation edge, which is built after the services.
func (s *Social) SetPorts(p core.Publisher, r core.Resolver, d core.DomainPolicy) {
	s.d.Pub, s.d.Resolver, s.d.Domains = p, r, d
}

// SetCommunityHooks plugs in the communities domain (see CommunityHooks).
func (s *Social) SetCommunityHooks(h CommunityHooks) { s.hooks = h }

// CommunityHooks is what social asks of the communities domain.
type CommunityHooks interface {
	// Resolve finds a community by handle (local or remote).
	Resolve(ctx context.Context, handle string) (*models.Actor, *models.Community, error)
	// ByActor loads the community of a local Group actor.
	ByActor(ctx context.Context, group *models.Actor) (*models.Community, error)
	// MayPost applies the community's posting rule to author.
	MayPost(ctx context.Context, group *models.Actor, com *models.Community, author *models.Actor) error
	// ThreadOpen refuses a reply to a locked community thread.
	ThreadOpen(ctx context.Context, inReplyTo string) error
	// Relay publishes the Group's Announce of n inside tx, the post's transaction.
	Relay(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, created string) error
	// RelayChange publishes the Group's Announce of an Update or Delete of one
	// of its posts (activity: the JSON as sent or received) inside tx.
	RelayChange(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, activity string) error
	// Maintainers lists the community's stewards (moderators and admins).
	Maintainers(ctx context.Context, group *models.Actor) ([]store.MemberRow, error)
	// UnfollowedBy ends the membership of a remote member who unfollows a
	// local community (how Mastodon's users leave it), and a local user's copy
	// of their membership of a remote community they unfollow.
	UnfollowedBy(ctx context.Context, group, follower *models.Actor) error
	// ConfirmByMessage lets a received note confirm a join or a credit.
	ConfirmByMessage(ctx context.Context, author *models.Actor, n *models.Note, in RemoteNote)
}

func (s *Social) domainAllowed(host string) bool {
	return s.d.Domains == nil || s.d.Domains.Allowed(host)
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	AnnounceByURI(ctx context.Context, uri string) (*models.Announce, error)
	BlockByURI(ctx context.Context, uri string) (*models.Block, error)
	CreateReport(ctx context.Context, r *models.Report) error
	DeleteBlock(ctx context.Context, id string) error
	DeleteLike(ctx context.Context, id string) error
	FollowByID(ctx context.Context, id string) (*models.Follow, error)
	FollowByPair(ctx context.Context, followerID, targetID string) (*models.Follow, error)
	FollowByURI(ctx context.Context, uri string) (*models.Follow, error)
	FollowsBy(ctx context.Context, followerID, state string, limit, offset int) (*store.FollowPage, error)
	FollowsOf(ctx context.Context, targetID, state string, limit, offset int) (*store.FollowPage, error)
	IsBlocked(ctx context.Context, actorID, targetID string) (bool, error)
	LikeByURI(ctx context.Context, uri string) (*models.Like, error)
	ListReports(ctx context.Context, limit, offset int) ([]models.Report, error)
	LocalFollowerIDs(ctx context.Context, targetID string) ([]string, error)
	NoteByID(ctx context.Context, id string) (*models.Note, error)
	NoteByURI(ctx context.Context, uri string) (*models.Note, error)
	NoteTags(ctx context.Context, noteID string) ([]models.NoteTag, error)
	NoteTagsOf(ctx context.Context, noteIDs []string) (map[string][]models.NoteTag, error)
	PutLike(ctx context.Context, l *models.Like) error
	RemoveFollow(ctx context.Context, id string, from []string) error
	TaggedNotes(ctx context.Context, tag string, limit int, scope store.NoteScope) ([]models.Note, error)
	Timeline(ctx context.Context, ownerID, maxID string, limit int, scope store.NoteScope) ([]store.TimelineItem, error)
	TransitionFollow(ctx context.Context, id string, from []string, to string) error
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
	UpdateNote(ctx context.Context, n *models.Note, tags []models.NoteTag) error
}

var _ Store = (*store.Store)(nil)
