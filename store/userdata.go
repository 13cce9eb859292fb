package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// A user's own data: what an export reads and what deleting the account removes.

// KnownInboxActors returns one remote, non-suspended actor for every distinct
// inbox this server knows (the shared inbox when there is one): the servers an
// account's Delete goes to, as Mastodon sends it to every known inbox.
func (s *Store) KnownInboxActors(ctx context.Context) ([]models.Actor, error) {
	var out []models.Actor
	inbox := "CASE WHEN shared_inbox <> '' THEN shared_inbox ELSE inbox_uri END"
	sub := s.with(ctx).Model(&models.Actor{}).Select("MIN(id)").
		Where("domain <> '' AND suspended = ? AND deleted_at IS NULL AND (shared_inbox <> '' OR inbox_uri <> '')", false).
		Group(inbox)
	err := s.with(ctx).Where("id IN (?)", sub).Order("id").Find(&out).Error
	return out, translate(err)
}

// MembershipsOf lists every membership of an actor, in any state and community.
func (s *Store) MembershipsOf(ctx context.Context, actorID string) ([]models.Membership, error) {
	var out []models.Membership
	return out, translate(s.with(ctx).Where("actor_id = ?", actorID).Order("created_at").Find(&out).Error)
}

// DeleteMembershipsOf removes every membership of an actor.
func (s *Store) DeleteMembershipsOf(ctx context.Context, actorID string) error {
	defer s.actorsChanged(ctx) // Group documents show their member counts
	return translate(s.with(ctx).Where("actor_id = ?", actorID).Delete(&models.Membership{}).Error)
}

// AllContributionsBy lists every contribution an actor offered first, oldest first (the export).
func (s *Store) AllContributionsBy(ctx context.Context, actorID string) ([]models.Contribution, error) {
	var out []models.Contribution
	return out, translate(s.with(ctx).Where("contributor_id = ?", actorID).Order("created_at").Find(&out).Error)
}

// LedgerOf lists the ledger entries crediting an actor, oldest first.
func (s *Store) LedgerOf(ctx context.Context, actorID string) ([]models.LedgerEntry, error) {
	var out []models.LedgerEntry
	return out, translate(s.with(ctx).Where("contributor_id = ?", actorID).Order("recorded_at").Find(&out).Error)
}

// EraseUserAccess removes what lets anyone act as a user: sessions, API
// tokens, reset tokens, and their home timeline.
func (s *Store) EraseUserAccess(ctx context.Context, userID, actorID string) error {
	for _, q := range []struct {
		model any
		where string
		arg   string
	}{
		{&models.Session{}, "user_id = ?", userID},
		{&models.APIToken{}, "user_id = ?", userID},
		{&models.PasswordReset{}, "user_id = ?", userID},
		{&models.TimelineEntry{}, "owner_id = ?", actorID},
		{&models.Block{}, "actor_id = ?", actorID},
		{&models.Media{}, "owner_id = ? AND contribution_id IS NULL", actorID},
	} {
		if err := translate(s.with(ctx).Where(q.where, q.arg).Delete(q.model).Error); err != nil {
			return err
		}
	}
	return nil
}

// MarkActorDeleted anonymises a local actor whose owner deleted the account:
// profile, images and fields emptied, suspended and deleted_at set (it is
// served as a Tombstone); its keys stay, to sign the Delete's deliveries.
// ErrNotFound when it is already deleted.
func (s *Store) MarkActorDeleted(ctx context.Context, id string, at time.Time) error {
	defer s.actorsChanged(ctx)
	res := s.with(ctx).Model(&models.Actor{}).Where("id = ? AND deleted_at IS NULL", id).Updates(map[string]any{
		"deleted_at": at, "suspended": true, "name": "", "summary": "", "summary_source": "", "fields": "",
		"icon_url": "", "icon_media_id": "", "image_url": "", "image_media_id": "", "discoverable": false,
	})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
