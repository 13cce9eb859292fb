package notifications_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestReadAndUnread: the count, one marked read (twice is fine), someone
// else's is a 404, all marked read; filters by unread and kind.
func TestReadAndUnread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for _, who := range []*models.Actor{f.bob, f.remote} {
			must[*models.Follow](t)(f.s.Social.Follow(f.ctx, who, f.ada, ""+map[bool]string{true: "https://remote.example/follows/9"}[who == f.remote]))
		}
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.bob, service.NoteInput{Content: "hi @ada"}))
		count := func() int64 { return must[int64](t)(f.s.Notifications.UnreadCount(f.ctx, f.ada)) }
		if c := count(); c != 3 {
			t.Fatalf("unread %d, want 3", c)
		}
		list := f.all(t, f.ada)
		for range 2 {
			if err := f.s.Notifications.MarkRead(f.ctx, f.ada, list[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.s.Notifications.MarkRead(f.ctx, f.bob, list[1].ID); status(err) != 404 {
			t.Fatalf("someone else's notification: %v, want 404", err)
		}
		if c := count(); c != 2 {
			t.Fatalf("unread %d, want 2", c)
		}
		unread := must[[]service.NotificationView](t)(f.s.Notifications.List(f.ctx, f.ada, service.NotificationFilter{Unread: true}))
		follows := must[[]service.NotificationView](t)(f.s.Notifications.List(f.ctx, f.ada, service.NotificationFilter{Kinds: []string{models.NotifyFollow}}))
		if len(unread) != 2 || len(follows) != 2 {
			t.Fatalf("unread %d (want 2), follows %d (want 2)", len(unread), len(follows))
		}
		if _, err := f.s.Notifications.List(f.ctx, f.ada, service.NotificationFilter{Kinds: []string{"nope"}}); status(err) != 422 {
			t.Fatalf("unknown kind: %v", err)
		}
		page := must[[]service.NotificationView](t)(f.s.Notifications.List(f.ctx, f.ada, service.NotificationFilter{Limit: 2}))
		older := must[[]service.NotificationView](t)(f.s.Notifications.List(f.ctx, f.ada, service.NotificationFilter{Limit: 2, MaxID: page[1].ID}))
		if len(page) != 2 || len(older) != 1 || older[0].ID >= page[1].ID {
			t.Fatalf("paging: %d then %d", len(page), len(older))
		}
		if n := must[int64](t)(f.s.Notifications.MarkAllRead(f.ctx, f.ada)); n != 2 {
			t.Fatalf("marked %d, want 2", n)
		}
		if c := count(); c != 0 {
			t.Fatalf("unread %d after all read", c)
		}
	})
}

var status = servicetest.Status

// TestBlockedActorsDoNotNotify: someone the recipient blocked does not reach
// them through notifications either.
func TestBlockedActorsDoNotNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if err := st.PutBlock(f.ctx, &models.Block{ID: models.NewID(), URI: "local:block", ActorID: f.ada.ID, TargetID: f.remote.ID}); err != nil {
			t.Fatal(err)
		}
		in := service.RemoteNote{Note: &models.Note{URI: "https://remote.example/notes/b", Type: "Note", Content: "hey", Visibility: models.VisibilityPublic},
			Tags: []models.NoteTag{{Type: "Mention", Href: f.ada.URI}}}
		must[*models.Note](t)(f.s.Social.ReceiveNote(f.ctx, f.remote, in, false))
		if l := f.all(t, f.ada); len(l) != 0 {
			t.Fatalf("a blocked actor notified: %+v", l[0].Notification)
		}
	})
}

// TestEmailPerKindAndUnsubscribe: e-mail goes only for the kinds chosen, to the
// account's address, with a signed unsubscribe link that turns that kind off
// (a forged one does nothing).
func TestEmailPerKindAndUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if _, err := f.s.Notifications.SetSettings(f.ctx, f.ada, service.NotificationPrefs{EmailKinds: []string{"nope"}}); status(err) != 422 {
			t.Fatalf("unknown kind accepted: %v", err)
		}
		set := must[service.NotificationPrefs](t)(f.s.Notifications.SetSettings(f.ctx, f.ada,
			service.NotificationPrefs{EmailKinds: []string{models.NotifyMention, models.NotifyMention}}))
		if len(set.EmailKinds) != 1 || !set.EmailEnabled || set.Digest {
			t.Fatalf("stored %+v", set)
		}
		must[*models.Follow](t)(f.s.Social.Follow(f.ctx, f.bob, f.ada, "")) // not chosen
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.bob, service.NoteInput{Content: "hi @ada"}))
		sent := f.mails.take()
		if len(sent) != 1 {
			t.Fatalf("%d mails, want 1 (the mention only)", len(sent))
		}
		m := sent[0]
		if m.To != "ada@example.org" || !strings.Contains(m.Subject, "bob mentioned you") || !strings.Contains(m.Text, "/notes/") ||
			!strings.HasPrefix(m.Unsubscribe, f.s.Cfg.Server.PublicURL+"/api/v1/notifications/unsubscribe?token=") {
			t.Fatalf("mail %+v", m)
		}
		token := m.Unsubscribe[strings.Index(m.Unsubscribe, "token=")+len("token="):]
		forged := token[:len(token)-2] + "AA"
		if _, err := f.s.Notifications.Unsubscribe(f.ctx, forged); status(err) != 404 {
			t.Fatalf("forged token: %v", err)
		}
		if kind := must[string](t)(f.s.Notifications.Unsubscribe(f.ctx, token)); kind != models.NotifyMention {
			t.Fatalf("unsubscribed from %q", kind)
		}
		if set := must[service.NotificationPrefs](t)(f.s.Notifications.Settings(f.ctx, f.ada)); len(set.EmailKinds) != 0 {
			t.Fatalf("still e-mailed: %v", set.EmailKinds)
		}
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.bob, service.NoteInput{Content: "again @ada"}))
		if sent := f.mails.take(); len(sent) != 0 {
			t.Fatalf("mail after unsubscribing: %+v", sent)
		}
		if n := len(f.all(t, f.ada)); n != 3 {
			t.Fatalf("%d notifications in the app, want 3 (e-mail choices change only e-mail)", n)
		}
	})
}

// TestDigest: with the digest on, notifications are not mailed one by one; the
// first schedules one digest a day later (the next ones join it), and the job
// sends one mail with the unread ones of the last day, once.
func TestDigest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
		f.s.Now = func() time.Time { return now }
		must[service.NotificationPrefs](t)(f.s.Notifications.SetSettings(f.ctx, f.ada,
			service.NotificationPrefs{EmailKinds: []string{models.NotifyMention, models.NotifyFollow}, Digest: true}))
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.bob, service.NoteInput{Content: "one @ada"}))
		now = now.Add(time.Hour)
		must[*models.Follow](t)(f.s.Social.Follow(f.ctx, f.bob, f.ada, ""))
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.admin, service.NoteInput{Content: "read this @ada"}))
		if sent := f.mails.take(); len(sent) != 0 {
			t.Fatalf("mailed one by one with the digest on: %d", len(sent))
		}
		if len(f.jobs.job) != 1 {
			t.Fatalf("%d jobs scheduled, want one digest", len(f.jobs.job))
		}
		job, at := f.jobs.job[0].(notifications.DigestJob), f.jobs.at[0]
		if job.ActorID != f.ada.ID || !at.Equal(time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("digest %+v at %v", job, at)
		}
		// One of the three is read before the digest goes out.
		l := f.all(t, f.ada)
		if err := f.s.Notifications.MarkRead(f.ctx, f.ada, l[2].ID); err != nil {
			t.Fatal(err)
		}
		now = at
		for range 2 { // run twice (two workers, a retry): one mail
			if err := f.s.Notifications.RunDigestJob(f.ctx, job); err != nil {
				t.Fatal(err)
			}
		}
		sent := f.mails.take()
		if len(sent) != 1 {
			t.Fatalf("%d digests, want 1", len(sent))
		}
		d := sent[0]
		if d.To != "ada@example.org" || !strings.Contains(d.Subject, "2 new notifications") ||
			!strings.Contains(d.Text, "bob mentioned you") || !strings.Contains(d.Text, "bob followed you") ||
			strings.Contains(d.Text, "founder mentioned you") || d.Unsubscribe == "" {
			t.Fatalf("digest %+v", d)
		}
		// The next notification schedules the next digest.
		must[*models.Note](t)(f.s.Social.PostNote(f.ctx, f.bob, service.NoteInput{Content: "two @ada"}))
		if len(f.jobs.job) != 2 || !f.jobs.at[1].Equal(now.Add(24*time.Hour)) {
			t.Fatalf("next digest: %d jobs, %v", len(f.jobs.job), f.jobs.at)
		}
		// The digest's link turns all e-mail off.
		token := d.Unsubscribe[strings.Index(d.Unsubscribe, "token=")+len("token="):]
		must[string](t)(f.s.Notifications.Unsubscribe(f.ctx, token))
		if set := must[service.NotificationPrefs](t)(f.s.Notifications.Settings(f.ctx, f.ada)); len(set.EmailKinds) != 0 || set.Digest {
			t.Fatalf("after the digest's unsubscribe: %+v", set)
		}
	})
}
