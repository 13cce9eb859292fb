package notifications

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// View is a notification with what it is about, loaded for a page, the API or
// a mail: the actor who caused it, the community, contribution and note it
// names (nil when it names none or it is gone), one sentence saying what
// happened and the URL where to look.
type View struct {
	models.Notification
	Actor        *models.Actor
	Community    *models.Actor
	Contribution *models.Contribution
	Note         *models.Note
	Text         string
	URL          string
}

// Describer writes the sentence of a kind of notification.
type Describer func(v View) string

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Describer{}
	order   []string
)

// RegisterKind adds a kind of notification with its sentence: how another
// domain (governance's proposals, appeals) opens the list. Registering a kind
// twice replaces its sentence.
func RegisterKind(kind string, d Describer) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, ok := kinds[kind]; !ok {
		order = append(order, kind)
	}
	kinds[kind] = d
}

// Kinds lists the known kinds, in the order they were registered.
func Kinds() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	return slices.Clone(order)
}

// KnownKind reports whether kind is registered.
func KnownKind(kind string) bool {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	_, ok := kinds[kind]
	return ok
}

func name(a *models.Actor) string {
	switch {
	case a == nil:
		return "Someone"
	case a.Name != "":
		return a.Name
	case a.Local():
		return "@" + a.Username
	}
	return "@" + a.Username + "@" + a.Domain
}

func title(v View) string {
	if v.Contribution != nil {
		return "“" + v.Contribution.Title + "”"
	}
	return "a contribution"
}

func init() {
	for _, k := range []struct {
		kind string
		d    Describer
	}{
		{models.NotifyMention, func(v View) string { return name(v.Actor) + " mentioned you" }},
		{models.NotifyReply, func(v View) string { return name(v.Actor) + " replied to your note" }},
		{models.NotifyFollow, func(v View) string { return name(v.Actor) + " followed you" }},
		{models.NotifyFollowRequest, func(v View) string { return name(v.Actor) + " asked to follow you" }},
		{models.NotifyMembershipRequest, func(v View) string {
			return name(v.Actor) + " asked to join " + name(v.Community)
		}},
		{models.NotifyMembershipDecision, func(v View) string {
			if v.Detail == "accepted" {
				return "You are now a member of " + name(v.Community)
			}
			return "Your request to join " + name(v.Community) + " was declined"
		}},
		{models.NotifyCommunityInvitation, func(v View) string {
			return name(v.Actor) + " invited you to join " + name(v.Community)
		}},
		{models.NotifyContributionAwaitingReview, func(v View) string {
			return name(v.Actor) + " offered " + title(v) + " to " + name(v.Community) + "; it awaits review"
		}},
		{models.NotifyReviewComment, func(v View) string { return name(v.Actor) + " commented on " + title(v) }},
		{models.NotifyChangesRequested, func(v View) string { return name(v.Actor) + " requested changes to " + title(v) }},
		{models.NotifyContributionAccepted, func(v View) string {
			return title(v) + " was accepted into the commons of " + name(v.Community)
		}},
		{models.NotifyContributionRejected, func(v View) string {
			s := title(v) + " was rejected by " + name(v.Community)
			if v.Detail != "" {
				s += ": " + v.Detail
			}
			return s
		}},
		{models.NotifyRoleChange, func(v View) string {
			if v.Detail == "" {
				return "You are no longer a member of " + name(v.Community)
			}
			return name(v.Actor) + " made you " + v.Detail + " of " + name(v.Community)
		}},
		{models.NotifyReport, func(v View) string {
			s := name(v.Actor) + " filed a report"
			if v.Detail != "" {
				s += ": " + v.Detail
			}
			return s
		}},
	} {
		RegisterKind(k.kind, k.d)
	}
}

// describe loads what nt is about and writes its sentence and link.
func (n *Notifications) describe(ctx context.Context, st Store, nt models.Notification) View {
	v := View{Notification: nt}
	ids := []string{nt.ActorID, nt.CommunityID}
	actors, _ := st.ActorsByIDs(ctx, ids)
	v.Actor, v.Community = actors[nt.ActorID], actors[nt.CommunityID]
	if nt.ContributionID != "" {
		v.Contribution, _ = st.ContributionByID(ctx, nt.ContributionID)
	}
	if nt.NoteID != "" {
		if note, err := st.NoteByID(ctx, nt.NoteID); err == nil && note.DeletedAt == nil {
			v.Note = note
		}
	}
	kindsMu.RLock()
	d := kinds[nt.Kind]
	kindsMu.RUnlock()
	if d != nil {
		v.Text = d(v)
	} else {
		v.Text = name(v.Actor) + ": " + strings.ReplaceAll(nt.Kind, "_", " ")
	}
	v.URL = n.link(v)
	return v
}

func (n *Notifications) link(v View) string {
	base := n.d.URLs.Base
	switch {
	case v.Kind == models.NotifyReport:
		return base + "/admin/reports"
	case v.Kind == models.NotifyFollowRequest:
		return base + "/follow_requests"
	case v.Kind == models.NotifyMembershipRequest && v.Community != nil && v.Community.Local():
		return base + "/c/" + v.Community.Username + "/members#requests" // the requests are on the members tab
	case v.Kind == "announcement_held" && v.Community != nil && v.Community.Local():
		return base + "/c/" + v.Community.Username + "/announcements" // held for the maintainers (issue 12)
	case v.Contribution != nil:
		return base + "/contributions/" + v.Contribution.ID
	case v.Note != nil:
		if v.Note.URL != "" {
			return v.Note.URL
		}
		return v.Note.URI
	case v.Community != nil && v.Community.Local():
		return base + "/c/" + v.Community.Username
	case v.Community != nil:
		return v.Community.URI
	case v.Actor != nil && v.Actor.Local():
		return base + "/@" + v.Actor.Username
	case v.Actor != nil && v.Actor.URL != "":
		return v.Actor.URL
	case v.Actor != nil:
		return v.Actor.URI
	}
	return base + "/notifications"
}

// Filter selects the notifications listed.
type Filter struct {
	Unread bool
	Kinds  []string
	MaxID  string // older than this notification (paging)
	Limit  int    // 1–100, default 40
}

// List pages me's notifications, newest first.
func (n *Notifications) List(ctx context.Context, me *models.Actor, f Filter) ([]View, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 40
	}
	for _, k := range f.Kinds {
		if !KnownKind(k) {
			return nil, errs.Unprocessable("unknown kind of notification: %s", k)
		}
	}
	list, err := n.d.Store.Notifications(ctx, me.ID, store.NotificationFilter{Unread: f.Unread, Kinds: f.Kinds, MaxID: f.MaxID, Limit: f.Limit})
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]View, 0, len(list))
	for _, nt := range list {
		out = append(out, n.describe(ctx, n.d.Store, nt))
	}
	return out, nil
}

// UnreadCount counts me's unread notifications (the number in the navigation).
func (n *Notifications) UnreadCount(ctx context.Context, me *models.Actor) (int64, error) {
	c, err := n.d.Store.CountUnreadNotifications(ctx, me.ID)
	if err != nil {
		return 0, errs.Internal(err)
	}
	return c, nil
}

// MarkRead marks one of me's notifications read (again: no error). Someone
// else's notification is a 404, as if it did not exist.
func (n *Notifications) MarkRead(ctx context.Context, me *models.Actor, id string) error {
	err := n.d.Store.MarkNotificationRead(ctx, me.ID, id, n.d.Now())
	switch {
	case err == nil:
		return nil
	case errorsIsNotFound(err):
		return errs.NotFound("notification not found")
	}
	return errs.Internal(err)
}

// MarkAllRead marks every notification of me read, and says how many were
// unread.
func (n *Notifications) MarkAllRead(ctx context.Context, me *models.Actor) (int64, error) {
	now := n.d.Now()
	c, err := n.d.Store.MarkAllNotificationsRead(ctx, me.ID, now, now)
	if err != nil {
		return 0, errs.Internal(err)
	}
	return c, nil
}

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
