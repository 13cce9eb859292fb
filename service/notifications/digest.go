package notifications

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// DigestPeriod is how often a digest goes out, and how far back it looks.
const DigestPeriod = 24 * time.Hour

// digestMax bounds the notifications listed in one digest.
const digestMax = 100

// DigestJob sends one account's daily digest (registered on the queue by app).
type DigestJob struct {
	ActorID string `json:"actor_id"`
}

// Kind implements core.Job.
func (DigestJob) Kind() string { return "notification_digest" }

// RunDigestJob sends the digest of job's account: one mail with their unread
// notifications of the opted-in kinds from the last day. It takes the
// account's digest_due_at by a conditional update first, so of two workers
// running it one sends; the next notification schedules the next digest.
func (n *Notifications) RunDigestJob(ctx context.Context, job DigestJob) error {
	now := n.d.Now()
	return n.d.Store.Tx(ctx, func(tx *store.Store) error {
		set, err := tx.NotificationSetting(ctx, job.ActorID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if set.DigestDueAt != nil && set.DigestDueAt.After(now.Add(time.Minute)) {
			// Woken early (another clock): wait for the time set.
			return n.d.Jobs.ScheduleAt(ctx, tx, job, *set.DigestDueAt)
		}
		taken, err := tx.TakeDigest(ctx, job.ActorID, now.Add(time.Minute))
		if err != nil || !taken {
			return err
		}
		kinds := emailKinds(set)
		if !set.Digest || len(kinds) == 0 || !n.d.Mailer.Enabled() {
			return nil
		}
		u, err := tx.UserByActorID(ctx, job.ActorID)
		if err != nil || u.Suspended || u.Email == "" {
			return nil
		}
		list, err := tx.Notifications(ctx, job.ActorID, store.NotificationFilter{Unread: true, Kinds: kinds,
			Since: now.Add(-DigestPeriod), Limit: digestMax})
		if err != nil || len(list) == 0 {
			return err
		}
		return n.d.Mailer.Send(ctx, tx, n.digestMail(ctx, tx, u, list))
	})
}

func (n *Notifications) digestMail(ctx context.Context, tx *store.Store, u *models.User, list []models.Notification) core.Mail {
	var b strings.Builder
	fmt.Fprintf(&b, "Your unread notifications of the last day on %s:\n\n", n.d.Instance)
	for _, nt := range list {
		v := n.describe(ctx, tx, nt)
		fmt.Fprintf(&b, "- %s\n  %s\n", v.Text, v.URL)
	}
	fmt.Fprintf(&b, "\nAll your notifications: %s/notifications\n", n.d.URLs.Base)
	subject := fmt.Sprintf("[%s] %d new notifications", n.d.Instance, len(list))
	if len(list) == 1 {
		subject = fmt.Sprintf("[%s] 1 new notification", n.d.Instance)
	}
	return core.Mail{To: u.Email, Subject: subject, Text: b.String(), Unsubscribe: n.UnsubscribeURL(u.ActorID, DigestKind)}
}
