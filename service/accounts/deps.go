// Package accounts is the accounts domain: local users (registration rules,
// authentication, sessions, API tokens, roles, suspension), actors (local key
// pairs, profiles, images, remote actor documents) and instance settings
// (registration mode, invites, statistics).
//
// It is the bottom domain: social and communities call it, it calls no other
// domain. It sees the store only through Store, the methods it uses.
package accounts

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the accounts domain needs, passed explicitly (no hub).
type Deps struct {
	Store Store
	Cfg   config.Config
	Keys  *Keys
	URLs  core.URLs
	Now   func() time.Time
	Log   *slog.Logger
	// Jobs and Pages are plugged in after the services are built (SetQueue,
	// SetPageFetcher): rel=me verification of profile fields runs as a job that
	// fetches pages. Without them fields are saved unverified.
	Jobs  core.Jobs
	Pages PageFetcher
}

// New builds the three services of the domain, which share their dependencies.
func New(d Deps) (*Accounts, *Actors, *Instance) {
	actors := &Actors{d: d}
	instance := &Instance{d: d, cache: &infoCache{}}
	return newAccounts(d, actors, instance), actors, instance
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	APITokenByHash(ctx context.Context, hash string) (*models.APIToken, error)
	ActorByHandle(ctx context.Context, username, domain string) (*models.Actor, error)
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	CountActiveUsers(ctx context.Context, since time.Time) (int64, error)
	CountLocalActors(ctx context.Context, typ string) (int64, error)
	CountLocalNotes(ctx context.Context) (int64, error)
	CountPasswordResetsSince(ctx context.Context, userID string, since time.Time) (int64, error)
	CountUsers(ctx context.Context) (int64, error)
	LocalActorsWithoutEd25519(ctx context.Context, limit int) ([]models.Actor, error)
	SetEd25519Key(ctx context.Context, actorID, keyID, multibase string, sealed []byte) (bool, error)
	CreatePasswordReset(ctx context.Context, r *models.PasswordReset) error
	DeleteInvite(ctx context.Context, code string) error
	CreateAPIToken(ctx context.Context, t *models.APIToken) error
	CreateActor(ctx context.Context, a *models.Actor) error
	CreateInvite(ctx context.Context, inv *models.Invite) error
	CreateSession(ctx context.Context, sess *models.Session) error
	DeleteSession(ctx context.Context, id string) error
	ListAPITokens(ctx context.Context, userID string) ([]models.APIToken, error)
	ListInvites(ctx context.Context) ([]models.Invite, error)
	ListUsers(ctx context.Context, limit, offset int) ([]models.User, error)
	MediaByID(ctx context.Context, id string) (*models.Media, error)
	PasswordResetUsable(ctx context.Context, id string, now time.Time) (*models.PasswordReset, error)
	PutSetting(ctx context.Context, key, value string) error
	RemovePendingUser(ctx context.Context, u *models.User) error
	RevokeAPIToken(ctx context.Context, userID, id string, at time.Time) error
	SessionByID(ctx context.Context, id string, now time.Time) (*models.Session, error)
	SetActorFields(ctx context.Context, id, old, fields string) (bool, error)
	Setting(ctx context.Context, key string) (string, error)
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
	UpdateActor(ctx context.Context, a *models.Actor) error
	UpdateUserFields(ctx context.Context, id string, fields map[string]any) error
	UserByEmail(ctx context.Context, email string) (*models.User, error)
	UserByID(ctx context.Context, id string) (*models.User, error)
	UserByUsername(ctx context.Context, username string) (*models.User, error)
}

var _ Store = (*store.Store)(nil)
