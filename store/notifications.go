package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm/clause"
)

// PutNotification stores n unless a notification with its dedupe key exists:
// inserted is false for the second delivery of the same event.
func (s *Store) PutNotification(ctx context.Context, n *models.Notification) (inserted bool, err error) {
	res := s.with(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedupe_key"}}, DoNothing: true}).Create(n)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// NotificationFilter selects a recipient's notifications: only unread ones,
// only some kinds, older than the notification MaxID (paging), at most Limit.
type NotificationFilter struct {
	Unread bool
	Kinds  []string
	MaxID  string
	Since  time.Time // created at or after (zero: any time)
	Limit  int
}

// Notifications pages a recipient's notifications, newest first (ids are ULIDs,
// so id order is creation order).
func (s *Store) Notifications(ctx context.Context, recipientID string, f NotificationFilter) ([]models.Notification, error) {
	q := s.with(ctx).Where("recipient_id = ?", recipientID)
	if f.Unread {
		q = q.Where("read_at IS NULL")
	}
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if f.MaxID != "" {
		q = q.Where("id < ?", f.MaxID)
	}
	if !f.Since.IsZero() {
		q = q.Where("created_at >= ?", f.Since)
	}
	var out []models.Notification
	return out, translate(q.Order("id DESC").Limit(f.Limit).Find(&out).Error)
}

// NotificationByID loads one notification.
func (s *Store) NotificationByID(ctx context.Context, id string) (*models.Notification, error) {
	return first[models.Notification](s.with(ctx).Where("id = ?", id))
}

// CountUnreadNotifications counts a recipient's unread notifications.
func (s *Store) CountUnreadNotifications(ctx context.Context, recipientID string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Notification{}).Where("recipient_id = ? AND read_at IS NULL", recipientID).Count(&n).Error
	return n, translate(err)
}

// MarkNotificationRead sets read_at on one of recipient's notifications if it is
// unread; reading it twice is no error. ErrNotFound when it is not theirs.
func (s *Store) MarkNotificationRead(ctx context.Context, recipientID, id string, at time.Time) error {
	res := s.with(ctx).Model(&models.Notification{}).
		Where("id = ? AND recipient_id = ? AND read_at IS NULL", id, recipientID).Update("read_at", at)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	_, err := first[models.Notification](s.with(ctx).Where("id = ? AND recipient_id = ?", id, recipientID))
	return err
}

// MarkAllNotificationsRead sets read_at on every unread notification of
// recipient created up to upTo (what the reader saw), and says how many.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, recipientID string, upTo, at time.Time) (int64, error) {
	res := s.with(ctx).Model(&models.Notification{}).
		Where("recipient_id = ? AND read_at IS NULL AND created_at <= ?", recipientID, upTo).Update("read_at", at)
	return res.RowsAffected, translate(res.Error)
}

// NotificationSetting loads an account's e-mail choices; ErrNotFound when it
// never chose (the defaults apply: no e-mail).
func (s *Store) NotificationSetting(ctx context.Context, actorID string) (*models.NotificationSetting, error) {
	return first[models.NotificationSetting](s.with(ctx).Where("actor_id = ?", actorID))
}

// PutNotificationSetting stores an account's e-mail choices (not the digest's
// schedule, which only ScheduleDigest and TakeDigest move).
func (s *Store) PutNotificationSetting(ctx context.Context, ns *models.NotificationSetting) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "actor_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"email_kinds", "digest", "updated_at"}),
	}).Create(ns).Error)
}

// ScheduleDigest sets the account's next digest time if none is set and the
// digest is on: true when this call set it (and must schedule the job).
func (s *Store) ScheduleDigest(ctx context.Context, actorID string, at time.Time) (bool, error) {
	res := s.with(ctx).Model(&models.NotificationSetting{}).
		Where("actor_id = ? AND digest = ? AND digest_due_at IS NULL", actorID, true).Update("digest_due_at", at)
	return res.RowsAffected == 1, translate(res.Error)
}

// TakeDigest clears the account's digest time if it is due: true for the one
// caller that takes it (two workers running the same job send one digest).
func (s *Store) TakeDigest(ctx context.Context, actorID string, now time.Time) (bool, error) {
	res := s.with(ctx).Model(&models.NotificationSetting{}).
		Where("actor_id = ? AND digest_due_at IS NOT NULL AND digest_due_at <= ?", actorID, now).Update("digest_due_at", nil)
	return res.RowsAffected == 1, translate(res.Error)
}

// StaffActorIDs lists the actor ids of the instance's moderators and admins
// (not suspended): who reports notify.
func (s *Store) StaffActorIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.with(ctx).Model(&models.User{}).Where("role IN ? AND suspended = ?",
		[]string{models.RoleAdmin, models.RoleModerator}, false).Order("actor_id").Pluck("actor_id", &ids).Error
	return ids, translate(err)
}

// PruneNotifications deletes the read notifications created before readBefore,
// then, for every recipient with more than maxPerUser, all but their newest
// maxPerUser (read or not). It returns how many rows went. The dedupe key of a
// deleted notification is free again: an event re-delivered after the
// retention would notify again, which for a season-old event is acceptable.
func (s *Store) PruneNotifications(ctx context.Context, readBefore time.Time, maxPerUser int) (int64, error) {
	res := s.with(ctx).Where("read_at IS NOT NULL AND created_at < ?", readBefore).Delete(&models.Notification{})
	if res.Error != nil {
		return 0, translate(res.Error)
	}
	deleted := res.RowsAffected
	if maxPerUser < 1 {
		return deleted, nil
	}
	var over []string
	if err := s.with(ctx).Model(&models.Notification{}).Select("recipient_id").Group("recipient_id").
		Having("COUNT(*) > ?", maxPerUser).Pluck("recipient_id", &over).Error; err != nil {
		return deleted, translate(err)
	}
	for _, r := range over {
		// The newest maxPerUser-th notification is the cut: everything older
		// (by time, then id) goes. Both reads use idx_notifications_recipient.
		var cut models.Notification
		err := s.with(ctx).Select("id", "created_at").Where("recipient_id = ?", r).
			Order("created_at DESC, id DESC").Offset(maxPerUser - 1).Limit(1).Take(&cut).Error
		if err != nil {
			return deleted, translate(err)
		}
		res := s.with(ctx).Where("recipient_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))", r, cut.CreatedAt, cut.CreatedAt, cut.ID).
			Delete(&models.Notification{})
		if res.Error != nil {
			return deleted, translate(res.Error)
		}
		deleted += res.RowsAffected
	}
	return deleted, nil
}
