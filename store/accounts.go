package store

import (
	"context"
	"strings"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
)

// CreateUserWithActor inserts a local user and its Person actor atomically.
func (s *Store) CreateUserWithActor(ctx context.Context, u *models.User, a *models.Actor) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.CreateActor(ctx, a); err != nil {
			return err
		}
		u.ActorID = a.ID
		u.UsernameLower = strings.ToLower(u.Username)
		u.Email = strings.ToLower(u.Email)
		return translate(tx.with(ctx).Create(u).Error)
	})
}

// CountUsers counts local accounts.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.User{}).Count(&n).Error)
}

// CountActiveUsers counts approved, unsuspended users who logged in since t.
func (s *Store) CountActiveUsers(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.User{}).
		Where("approved = ? AND suspended = ? AND last_login_at >= ?", true, false, since).Count(&n).Error
	return n, translate(err)
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id string) (*models.User, error) {
	return first[models.User](s.with(ctx).Where("id = ?", id))
}

// UserByUsername loads a user by username, case-insensitively.
func (s *Store) UserByUsername(ctx context.Context, username string) (*models.User, error) {
	return first[models.User](s.with(ctx).Where("username_lower = ?", strings.ToLower(username)))
}

// UserByEmail loads a user by e-mail, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	return first[models.User](s.with(ctx).Where("email = ?", strings.ToLower(email)))
}

// UserByActorID loads the user behind a local actor.
func (s *Store) UserByActorID(ctx context.Context, actorID string) (*models.User, error) {
	return first[models.User](s.with(ctx).Where("actor_id = ?", actorID))
}

// ListUsers pages users, newest first.
func (s *Store) ListUsers(ctx context.Context, limit, offset int) ([]models.User, error) {
	var out []models.User
	err := s.with(ctx).Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// UpdateUserFields updates the named columns of a user.
func (s *Store) UpdateUserFields(ctx context.Context, id string, fields map[string]any) error {
	res := s.with(ctx).Model(&models.User{}).Where("id = ?", id).Updates(fields)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *models.Session) error {
	return translate(s.with(ctx).Create(sess).Error)
}

// SessionByID loads an unexpired session.
func (s *Store) SessionByID(ctx context.Context, id string, now time.Time) (*models.Session, error) {
	return first[models.Session](s.with(ctx).Where("id = ? AND expires_at > ?", id, now))
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return translate(s.with(ctx).Where("id = ?", id).Delete(&models.Session{}).Error)
}

// DeleteUserSessions ends every session of a user (suspension, password change).
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	return translate(s.with(ctx).Where("user_id = ?", userID).Delete(&models.Session{}).Error)
}

// CreateAPIToken stores a token row.
func (s *Store) CreateAPIToken(ctx context.Context, t *models.APIToken) error {
	return translate(s.with(ctx).Create(t).Error)
}

// APITokenByHash loads an unrevoked token by the hash of its secret.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (*models.APIToken, error) {
	return first[models.APIToken](s.with(ctx).Where("token_hash = ? AND revoked_at IS NULL", hash))
}

// TouchAPIToken records a use.
func (s *Store) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	return translate(s.with(ctx).Model(&models.APIToken{}).Where("id = ?", id).Update("last_used_at", at).Error)
}

// RevokeAPIToken revokes a user's token.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id string, at time.Time) error {
	res := s.with(ctx).Model(&models.APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).Update("revoked_at", at)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// ListAPITokens lists a user's tokens.
func (s *Store) ListAPITokens(ctx context.Context, userID string) ([]models.APIToken, error) {
	var out []models.APIToken
	return out, translate(s.with(ctx).Where("user_id = ?", userID).Order("created_at DESC").Find(&out).Error)
}

// CreateInvite stores an invite.
func (s *Store) CreateInvite(ctx context.Context, inv *models.Invite) error {
	return translate(s.with(ctx).Create(inv).Error)
}

// UseInvite consumes one use of a valid invite, atomically; ErrNotFound when the
// code is unknown, used up or expired.
func (s *Store) UseInvite(ctx context.Context, code string, now time.Time) error {
	res := s.with(ctx).Model(&models.Invite{}).
		Where("code = ? AND uses < max_uses AND (expires_at IS NULL OR expires_at > ?)", code, now).
		Update("uses", gorm.Expr("uses + 1"))
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// ListInvites lists invites, newest first.
func (s *Store) ListInvites(ctx context.Context) ([]models.Invite, error) {
	var out []models.Invite
	return out, translate(s.with(ctx).Order("created_at DESC").Find(&out).Error)
}
