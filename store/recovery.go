package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// CreatePasswordReset stores a reset token (its hash).
func (s *Store) CreatePasswordReset(ctx context.Context, r *models.PasswordReset) error {
	return translate(s.with(ctx).Create(r).Error)
}

// CountPasswordResetsSince counts the reset tokens issued for a user since a
// moment (the per-address rate limit).
func (s *Store) CountPasswordResetsSince(ctx context.Context, userID string, since time.Time) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.PasswordReset{}).Where("user_id = ? AND created_at > ?", userID, since).Count(&n).Error
	return n, translate(err)
}

// PasswordResetUsable loads an unused, unexpired reset token by its hash;
// ErrNotFound otherwise.
func (s *Store) PasswordResetUsable(ctx context.Context, id string, now time.Time) (*models.PasswordReset, error) {
	return first[models.PasswordReset](s.with(ctx).Where("id = ? AND used_at IS NULL AND expires_at > ?", id, now))
}

// UsePasswordReset consumes a token by a conditional update (unused and
// unexpired), so of two racing uses only one succeeds; it returns the row.
// ErrNotFound when the token is unknown, used or expired.
func (s *Store) UsePasswordReset(ctx context.Context, id string, now time.Time) (*models.PasswordReset, error) {
	res := s.with(ctx).Model(&models.PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", id, now).
		Update("used_at", now)
	if res.Error != nil {
		return nil, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return first[models.PasswordReset](s.with(ctx).Where("id = ?", id))
}

// InvalidatePasswordResets marks every unused token of a user used (after a
// password change or a reset, older links stop working).
func (s *Store) InvalidatePasswordResets(ctx context.Context, userID string, now time.Time) error {
	return translate(s.with(ctx).Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL", userID).
		Update("used_at", now).Error)
}

// DeleteOtherSessions ends every session of a user but keep (the one in use).
func (s *Store) DeleteOtherSessions(ctx context.Context, userID, keep string) error {
	return translate(s.with(ctx).Where("user_id = ? AND id <> ?", userID, keep).Delete(&models.Session{}).Error)
}

// RevokeUserAPITokens revokes every token of a user (password reset).
func (s *Store) RevokeUserAPITokens(ctx context.Context, userID string, at time.Time) error {
	return translate(s.with(ctx).Model(&models.APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", at).Error)
}

// DeleteInvite removes an invite (revoked by a moderator); ErrNotFound when
// there is none.
func (s *Store) DeleteInvite(ctx context.Context, code string) error {
	res := s.with(ctx).Where("code = ?", code).Delete(&models.Invite{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
