package notifications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Notify records nt for its recipient inside tx, the transaction of the change
// that caused it, and e-mails it (or schedules the digest) when the recipient
// opted in for its kind. Set RecipientID, Kind, ActorID and the ids of the
// objects it is about; DedupeKey names the event (e.g. "follow:"+followID) and
// defaults to the kind and the ids. The same event for the same recipient is
// recorded once. Nobody is notified of their own action nor of one by an
// actor they blocked, and only local
// people are notified (a community, a remote actor or a suspended account is
// skipped without error).
func (n *Notifications) Notify(ctx context.Context, tx *store.Store, nt models.Notification) error {
	if nt.RecipientID == "" || nt.Kind == "" {
		return errs.Internal(errors.New("notifications: a notification needs a recipient and a kind"))
	}
	if nt.RecipientID == nt.ActorID {
		return nil
	}
	// Every inbound note mentioning someone comes here: the recipient is
	// read from the actor cache (tolerating its TTL) unless tx changed an actor.
	rcpt, err := tx.ActorByIDCached(ctx, nt.RecipientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !rcpt.Local() || rcpt.Suspended || rcpt.Type == models.ActorGroup || rcpt.Type == models.ActorApplication {
		return nil
	}
	if nt.ActorID != "" {
		// Whom the recipient blocked does not reach them this way either.
		if blocked, err := tx.IsBlocked(ctx, rcpt.ID, nt.ActorID); err != nil {
			return err
		} else if blocked {
			return nil
		}
	}
	key := nt.DedupeKey
	if key == "" {
		key = strings.Join([]string{nt.Kind, nt.ActorID, nt.NoteID, nt.CommunityID, nt.ContributionID, nt.ReportID, nt.ProposalID, nt.Detail}, "|")
	}
	key = nt.RecipientID + "|" + key
	if len(key) > 400 {
		sum := sha256.Sum256([]byte(key))
		key = nt.RecipientID + "|sha256:" + hex.EncodeToString(sum[:])
	}
	nt.ID, nt.DedupeKey, nt.CreatedAt, nt.ReadAt = models.NewID(), key, n.d.Now(), nil
	inserted, err := tx.PutNotification(ctx, &nt)
	if err != nil || !inserted {
		return err
	}
	return n.email(ctx, tx, rcpt, &nt)
}

// NotifyAll is Notify for each of recipients (duplicates notified once).
func (n *Notifications) NotifyAll(ctx context.Context, tx *store.Store, recipients []string, nt models.Notification) error {
	seen := map[string]bool{}
	for _, r := range recipients {
		if seen[r] {
			continue
		}
		seen[r] = true
		nt.RecipientID = r
		if err := n.Notify(ctx, tx, nt); err != nil {
			return err
		}
	}
	return nil
}

// NotifyStaff notifies the instance's moderators and admins (reports).
func (n *Notifications) NotifyStaff(ctx context.Context, tx *store.Store, nt models.Notification) error {
	ids, err := tx.StaffActorIDs(ctx)
	if err != nil {
		return err
	}
	return n.NotifyAll(ctx, tx, ids, nt)
}

// email sends nt to the recipient now, or schedules their digest, when they
// asked for e-mail of its kind and the instance has SMTP.
func (n *Notifications) email(ctx context.Context, tx *store.Store, rcpt *models.Actor, nt *models.Notification) error {
	if !n.d.Mailer.Enabled() {
		return nil
	}
	set, err := tx.NotificationSetting(ctx, rcpt.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !wants(set, nt.Kind) {
		return nil
	}
	if set.Digest {
		at := nt.CreatedAt.Add(DigestPeriod)
		scheduled, err := tx.ScheduleDigest(ctx, rcpt.ID, at)
		if err != nil || !scheduled {
			return err // a digest is already due: this one joins it
		}
		return n.d.Jobs.ScheduleAt(ctx, tx, DigestJob{ActorID: rcpt.ID}, at)
	}
	u, err := tx.UserByActorID(ctx, rcpt.ID)
	if err != nil || u.Suspended || u.Email == "" {
		return nil
	}
	v := n.describe(ctx, tx, *nt)
	text := v.Text + "\n\n" + v.URL + "\n"
	err = n.d.Mailer.Send(ctx, tx, core.Mail{To: u.Email, Subject: "[" + n.d.Instance + "] " + v.Text,
		Text: text, Unsubscribe: n.UnsubscribeURL(rcpt.ID, nt.Kind)})
	if s := errs.Status(err); err != nil && s >= 400 && s < 500 {
		// A mail the mailer refuses (an address it cannot use) must not undo
		// the change that caused it: the notification stays in the app.
		n.d.Log.Warn("notification not e-mailed", "recipient", rcpt.ID, "kind", nt.Kind, "err", err)
		return nil
	}
	return err
}
