package store

import (
	"context"
	"strings"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateActor inserts an actor; a taken handle or URI gives ErrExists.
func (s *Store) CreateActor(ctx context.Context, a *models.Actor) error {
	a.UsernameLower = strings.ToLower(a.Username)
	defer s.actorsChanged(ctx)
	return translate(s.with(ctx).Create(a).Error)
}

// UpdateActor saves every column of a.
func (s *Store) UpdateActor(ctx context.Context, a *models.Actor) error {
	a.UsernameLower = strings.ToLower(a.Username)
	defer s.actorsChanged(ctx)
	return translate(s.with(ctx).Save(a).Error)
}

// ActorByID loads by primary key.
func (s *Store) ActorByID(ctx context.Context, id string) (*models.Actor, error) {
	return first[models.Actor](s.with(ctx).Where("id = ?", id))
}

// ActorByURI loads by ActivityPub id. Outside a transaction it is answered
// from memory when this process read the actor less than ActorCacheTTL ago and
// changed no actor since (actorcache.go); so it is in a unit of work
// (unitofwork.go) that changed no actor.
func (s *Store) ActorByURI(ctx context.Context, uri string) (*models.Actor, error) {
	return s.cachedActor(ctx, false, uri, "uri = ?", uri)
}

// ActorByIDCached is ActorByID answered from memory like ActorByURI, inside a
// transaction too as long as the transaction changed no actor: for checks
// that tolerate ActorCacheTTL of staleness from another process (whether a
// notification's recipient is local and not suspended), on a path that runs
// for every inbound note.
func (s *Store) ActorByIDCached(ctx context.Context, id string) (*models.Actor, error) {
	return s.cachedActor(ctx, true, "id:"+id, "id = ?", id)
}

// cachedActor loads the actor matching where, through the actor cache under
// key. inTx: an explicit transaction may read the cache too.
func (s *Store) cachedActor(ctx context.Context, inTx bool, key, where string, args ...any) (*models.Actor, error) {
	if s.actors == nil {
		return first[models.Actor](s.with(ctx).Where(where, args...))
	}
	gen, now := s.actorsGen.Load(), time.Now()
	if tx := s.bound(ctx); tx != nil {
		// In a transaction: the cache holds committed rows, which are what
		// the transaction sees unless it changed an actor itself (then it
		// reads its own rows and remembers nothing).
		if (s.inTx && !inTx) || tx.txActors == nil || tx.txActors.Load() {
			return first[models.Actor](s.with(ctx).Where(where, args...))
		}
		if a, ok := s.actors.get(key, gen, now); ok {
			return a, nil
		}
		a, err := first[models.Actor](s.with(ctx).Where(where, args...))
		if err == nil && !tx.txActors.Load() {
			s.remember(key, a, gen, now)
		}
		return a, err
	}
	if a, ok := s.actors.get(key, gen, now); ok {
		return a, nil
	}
	a, err := first[models.Actor](s.with(ctx).Where(where, args...))
	if err == nil {
		s.remember(key, a, gen, now)
	}
	return a, err
}

// remember puts a in the actor cache under key and under its id (for
// ActorByIDCached).
func (s *Store) remember(key string, a *models.Actor, gen int64, now time.Time) {
	s.actors.put(key, a, gen, now)
	if id := "id:" + a.ID; id != key {
		s.actors.put(id, a, gen, now)
	}
}

// ActorByKeyID loads the actor owning a public key id.
func (s *Store) ActorByKeyID(ctx context.Context, keyID string) (*models.Actor, error) {
	return first[models.Actor](s.with(ctx).Where("public_key_id = ?", keyID))
}

// ActorByHandle loads by username and domain ("" for local), case-insensitively.
// Answered from memory like ActorByURI.
func (s *Store) ActorByHandle(ctx context.Context, username, domain string) (*models.Actor, error) {
	u, d := strings.ToLower(username), strings.ToLower(domain)
	return s.cachedActor(ctx, false, "@"+u+"@"+d, "username_lower = ? AND domain = ?", u, d)
}

// CountLocalActors counts local actors of a type (NodeInfo usage, directories).
func (s *Store) CountLocalActors(ctx context.Context, typ string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Actor{}).Where("domain = '' AND type = ? AND suspended = ?", typ, false).Count(&n).Error
	return n, translate(err)
}

// first returns the first row of q as *T, or ErrNotFound.
func first[T any](q *gorm.DB) (*T, error) {
	var v T
	if err := q.Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// byURI loads the row of T with an ActivityPub id.
func byURI[T any](s *Store, ctx context.Context, uri string) (*T, error) {
	return first[T](s.with(ctx).Where("uri = ?", uri))
}

// deleteByID removes the row of T with a primary key.
func deleteByID[T any](s *Store, ctx context.Context, id string) error {
	return translate(s.with(ctx).Where("id = ?", id).Delete(new(T)).Error)
}

// insertIgnore inserts a row unless one with the same unique key exists (an
// activity delivered twice).
func insertIgnore(s *Store, ctx context.Context, row any) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(row).Error)
}

// ActorByEd25519KeyID loads the actor whose Ed25519 Multikey has this id.
func (s *Store) ActorByEd25519KeyID(ctx context.Context, keyID string) (*models.Actor, error) {
	return first[models.Actor](s.with(ctx).Where("ed25519_key_id = ?", keyID))
}

// InboxTakesEd25519 reports whether an actor whose inbox or shared inbox is
// inbox accepts Ed25519 signatures (AcceptsEd25519: an Ed25519 Multikey and
// the FEP-844e capability); delivery chooses the signature per inbox by it. Both
// lookups use an index (idx_actors_shared_inbox, idx_actors_inbox_uri).
func (s *Store) InboxTakesEd25519(ctx context.Context, inbox string) (bool, error) {
	// One statement (both columns are indexed: an OR of two index lookups), not
	// one per column: a delivery to a server without Ed25519 asks this once per
	// inbox each time the actors generation moves.
	var ids []string
	err := s.with(ctx).Model(&models.Actor{}).Where("(shared_inbox = ? OR inbox_uri = ?) AND accepts_ed25519 = ?", inbox, inbox, true).
		Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, translate(err)
	}
	return len(ids) > 0, nil
}

// LocalActorsWithoutEd25519 lists up to limit local actors that have no
// Ed25519 key yet (made before migration 0015).
func (s *Store) LocalActorsWithoutEd25519(ctx context.Context, limit int) ([]models.Actor, error) {
	var out []models.Actor
	err := s.with(ctx).Where("domain = '' AND (ed25519_key_id IS NULL OR ed25519_key_id = '')").
		Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// SetEd25519Key stores a local actor's new Ed25519 key, only if it has none
// (a concurrent backfill keeps the first key); it reports whether it did.
func (s *Store) SetEd25519Key(ctx context.Context, actorID, keyID, multibase string, sealed []byte) (bool, error) {
	res := s.with(ctx).Model(&models.Actor{}).
		Where("id = ? AND domain = '' AND (ed25519_key_id IS NULL OR ed25519_key_id = '')", actorID).
		Updates(map[string]any{"ed25519_key_id": keyID, "ed25519_public_key": multibase, "ed25519_private_key": sealed})
	if res.Error != nil {
		return false, translate(res.Error)
	}
	if res.RowsAffected > 0 {
		s.actorsChanged(ctx)
	}
	return res.RowsAffected > 0, nil
}
