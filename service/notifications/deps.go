// Package notifications is the notifications domain (issue 10 §2): what
// happened to a local account — mentions, replies, follows, membership
// requests and decisions, invitations, contributions to review, review
// comments, decisions on contributions, role changes, reports — listed in the
// app with an unread count, and e-mailed to those who opted in for that kind,
// one mail each or as one daily digest.
//
// Other domains call Notify inside the transaction of the change that caused
// the event (a local action and the same action arriving over federation go
// through the same service call, so both notify). Each notification carries a
// dedupe key, unique per recipient, so the same event delivered twice (a
// retried inbox job, a redelivered activity) notifies once. The kind list is
// open: governance and economy use their own kinds with the same call.
//
// E-mail goes through the core.Mailer port (package mail implements it with a
// River job per message, retried with backoff). A digest is debounced per
// account: the first notification after a digest sets digest_due_at a day
// later (a conditional update, so one job is scheduled), and the job takes it
// back the same way, so two workers send one digest. Unsubscribe links are
// signed (HMAC under the instance secret): no row, no login; one click turns
// that kind's e-mail off.
//
// Arrows: notifications → core, store, models, errs. social and communities
// import it (it sits below them).
package notifications

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Signer signs the unsubscribe links (accounts.Keys implements it).
type Signer interface {
	MAC(purpose string, msg []byte) []byte
}

// Deps is everything the notifications domain needs, passed explicitly.
type Deps struct {
	Store    Store
	URLs     core.URLs
	Now      func() time.Time
	Log      *slog.Logger
	Mailer   core.Mailer
	Jobs     core.Jobs
	Signer   Signer
	Instance string // the instance's name, in mail subjects
	// Retention and MaxPerUser bound what PruneJob keeps (config
	// notifications.retention and notifications.max_per_user).
	Retention  time.Duration
	MaxPerUser int
}

// Notifications is the notifications service.
type Notifications struct{ d Deps }

// New builds the notifications service.
func New(d Deps) *Notifications {
	if d.Mailer == nil {
		d.Mailer = core.NoMailer{}
	}
	if d.Jobs == nil {
		d.Jobs = core.NoJobs{}
	}
	return &Notifications{d: d}
}

// SetJobs plugs in the job queue (digests).
func (n *Notifications) SetJobs(j core.Jobs) { n.d.Jobs = j }

// EmailEnabled says whether the instance can send e-mail at all.
func (n *Notifications) EmailEnabled() bool { return n.d.Mailer.Enabled() }

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	UserByActorID(ctx context.Context, actorID string) (*models.User, error)
	NoteByID(ctx context.Context, id string) (*models.Note, error)
	ContributionByID(ctx context.Context, id string) (*models.Contribution, error)
	Notifications(ctx context.Context, recipientID string, f store.NotificationFilter) ([]models.Notification, error)
	NotificationByID(ctx context.Context, id string) (*models.Notification, error)
	CountUnreadNotifications(ctx context.Context, recipientID string) (int64, error)
	MarkNotificationRead(ctx context.Context, recipientID, id string, at time.Time) error
	MarkAllNotificationsRead(ctx context.Context, recipientID string, upTo, at time.Time) (int64, error)
	NotificationSetting(ctx context.Context, actorID string) (*models.NotificationSetting, error)
	PutNotificationSetting(ctx context.Context, ns *models.NotificationSetting) error
	TakeDigest(ctx context.Context, actorID string, now time.Time) (bool, error)
	StaffActorIDs(ctx context.Context) ([]string, error)
	PruneNotifications(ctx context.Context, readBefore time.Time, maxPerUser int) (int64, error)
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

var _ Store = (*store.Store)(nil)
