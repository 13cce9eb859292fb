package notifications_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

type fixture struct {
	ctx     context.Context
	s       *service.Service
	st      *store.Store
	admin   *models.Actor // the first account: an admin, and the community's steward
	ada     *models.Actor
	bob     *models.Actor
	remote  *models.Actor
	group   *models.Actor // a local community, membership by approval
	mails   *mailbox
	jobs    *jobBook
	rootUsr *models.User
}

// mailbox is the Mailer port recording what the service asks it to send; the
// SMTP conversation itself is tested in package mail.
type mailbox struct {
	mu   sync.Mutex
	sent []service.Mail
}

func (m *mailbox) Enabled() bool { return true }
func (m *mailbox) Send(_ context.Context, _ *store.Store, msg service.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}
func (m *mailbox) take() []service.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.sent
	m.sent = nil
	return out
}

// jobBook is the Jobs port keeping the jobs scheduled (the digest).
type jobBook struct {
	mu  sync.Mutex
	job []service.Job
	at  []time.Time
}

func (j *jobBook) Enqueue(ctx context.Context, tx *store.Store, job service.Job) error {
	return j.ScheduleAt(ctx, tx, job, time.Now())
}
func (j *jobBook) ScheduleAt(_ context.Context, _ *store.Store, job service.Job, at time.Time) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.job, j.at = append(j.job, job), append(j.at, at)
	return nil
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), st: st, mails: &mailbox{}, jobs: &jobBook{}}
	f.s = servicetest.New(t, st)
	f.s.SetPorts(&servicetest.Recorder{}, nil, nil)
	f.s.SetQueue(f.jobs, nil)
	f.s.SetMailer(f.mails)
	f.rootUsr, f.admin = f.user(t, "founder")
	_, f.ada = f.user(t, "ada")
	_, f.bob = f.user(t, "bob")
	id := models.NewID()
	base := "https://remote.example/users/rita"
	f.remote = &models.Actor{ID: id, Type: models.ActorPerson, Username: "rita", Domain: "remote.example", URI: base,
		InboxURI: base + "/inbox", FollowersURI: base + "/followers"}
	if err := st.CreateActor(f.ctx, f.remote); err != nil {
		t.Fatal(err)
	}
	g, _, err := f.s.Communities.Create(f.ctx, f.rootUsr, service.CommunityInput{Handle: "seeds", Name: "Seed Library",
		Licence: "CC-BY-SA-4.0", MembershipPolicy: models.PolicyApproval, OfferPolicy: models.PolicyOpen})
	if err != nil {
		t.Fatal(err)
	}
	f.group = g
	return f
}

func (f *fixture) user(t *testing.T, name string) (*models.User, *models.Actor) {
	t.Helper()
	u, err := f.s.Accounts.SignUp(f.ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Accounts.ActorOf(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return u, a
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// all lists every notification of a, oldest first.
func (f *fixture) all(t *testing.T, a *models.Actor) []service.NotificationView {
	t.Helper()
	l, err := f.s.Notifications.List(f.ctx, a, service.NotificationFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(l, func(i, j int) bool { return l[i].ID < l[j].ID })
	return l
}

// TestEveryKindIsEmitted: each action, local or arriving over federation,
// notifies whom it concerns, once, with the actor and the objects it is about;
// and nobody else.
func TestEveryKindIsEmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := f.ctx
		var contributionID string
		offer := func(t *testing.T) *models.Contribution {
			co := must[*models.Contribution](t)(f.s.Communities.Offer(ctx, f.bob, f.group,
				service.ContributionInput{Title: "Tomato seeds", Body: "Saved in 2026", Kind: "knowledge"}, nil))
			contributionID = co.ID
			return co
		}
		cases := []struct {
			name      string
			run       func(t *testing.T)
			recipient func() *models.Actor
			kind      string
			actor     func() *models.Actor
			detail    string
			text      string // in the sentence
			steward   int    // notifications the steward gets on the way (not checked here)
		}{
			{"local mention", func(t *testing.T) {
				must[*models.Note](t)(f.s.Social.PostNote(ctx, f.bob, service.NoteInput{Content: "hello @ada"}))
			}, func() *models.Actor { return f.ada }, models.NotifyMention, func() *models.Actor { return f.bob }, "", "mentioned you", 0},
			{"local reply (not also a mention)", func(t *testing.T) {
				n := must[*models.Note](t)(f.s.Social.PostNote(ctx, f.ada, service.NoteInput{Content: "my note"}))
				must[*models.Note](t)(f.s.Social.PostNote(ctx, f.bob, service.NoteInput{Content: "an answer", InReplyTo: n.URI}))
			}, func() *models.Actor { return f.ada }, models.NotifyReply, func() *models.Actor { return f.bob }, "", "replied to your note", 0},
			{"remote mention, delivered twice", func(t *testing.T) {
				for range 2 {
					in := service.RemoteNote{Note: &models.Note{URI: "https://remote.example/notes/1", Type: "Note",
						Content: "<p>hi @ada</p>", Visibility: models.VisibilityPublic},
						Tags: []models.NoteTag{{Type: "Mention", Href: f.ada.URI, Name: "@ada"}}}
					must[*models.Note](t)(f.s.Social.ReceiveNote(ctx, f.remote, in, false))
				}
			}, func() *models.Actor { return f.ada }, models.NotifyMention, func() *models.Actor { return f.remote }, "", "@rita@remote.example mentioned you", 0},
			{"local follow", func(t *testing.T) {
				must[*models.Follow](t)(f.s.Social.Follow(ctx, f.bob, f.ada, ""))
			}, func() *models.Actor { return f.ada }, models.NotifyFollow, func() *models.Actor { return f.bob }, "", "followed you", 0},
			{"remote follow request", func(t *testing.T) {
				f.bob.ManuallyApprovesFollowers = true
				if err := st.UpdateActor(ctx, f.bob); err != nil {
					t.Fatal(err)
				}
				for range 2 { // a retried Follow
					must[*models.Follow](t)(f.s.Social.Follow(ctx, f.remote, f.bob, "https://remote.example/follows/1"))
				}
			}, func() *models.Actor { return f.bob }, models.NotifyFollowRequest, func() *models.Actor { return f.remote }, "", "asked to follow you", 0},
			{"local membership request", func(t *testing.T) {
				must[*models.Membership](t)(f.s.Communities.Join(ctx, f.bob, f.group, ""))
			}, func() *models.Actor { return f.admin }, models.NotifyMembershipRequest, func() *models.Actor { return f.bob }, "", "asked to join Seed Library", 0},
			{"membership accepted", func(t *testing.T) {
				m := must[*models.Membership](t)(st.Membership(ctx, f.group.ID, f.bob.ID))
				must[*models.Membership](t)(f.s.Communities.DecideMembership(ctx, f.admin, f.group, m.ID, true))
			}, func() *models.Actor { return f.bob }, models.NotifyMembershipDecision, func() *models.Actor { return f.admin }, "accepted", "You are now a member of Seed Library", 0},
			{"remote membership request, delivered twice", func(t *testing.T) {
				for range 2 {
					must[*models.Membership](t)(f.s.Communities.Join(ctx, f.remote, f.group, "https://remote.example/joins/1"))
				}
			}, func() *models.Actor { return f.admin }, models.NotifyMembershipRequest, func() *models.Actor { return f.remote }, "", "asked to join", 0},
			{"membership rejected", func(t *testing.T) {
				_ = must[*models.Membership](t)(f.s.Communities.Join(ctx, f.ada, f.group, ""))
				f.all(t, f.admin) // (the request notified the steward: checked above)
				m := must[*models.Membership](t)(st.Membership(ctx, f.group.ID, f.ada.ID))
				must[*models.Membership](t)(f.s.Communities.DecideMembership(ctx, f.admin, f.group, m.ID, false))
			}, func() *models.Actor { return f.ada }, models.NotifyMembershipDecision, func() *models.Actor { return f.admin }, "rejected", "was declined", 1},
			{"community invitation", func(t *testing.T) {
				must[*models.Membership](t)(f.s.Communities.Invite(ctx, f.admin, f.group, f.ada))
			}, func() *models.Actor { return f.ada }, models.NotifyCommunityInvitation, func() *models.Actor { return f.admin }, "", "invited you to join Seed Library", 0},
			{"contribution awaiting review", func(t *testing.T) { offer(t) },
				func() *models.Actor { return f.admin }, models.NotifyContributionAwaitingReview, func() *models.Actor { return f.bob }, "", "offered “Tomato seeds” to Seed Library", 0},
			{"review comment", func(t *testing.T) {
				must[*models.ReviewComment](t)(f.s.Communities.Comment(ctx, f.admin, contributionID, "Which variety?", false))
			}, func() *models.Actor { return f.bob }, models.NotifyReviewComment, func() *models.Actor { return f.admin }, "", "commented on “Tomato seeds”", 0},
			{"the contributor answers: maintainers hear", func(t *testing.T) {
				must[*models.ReviewComment](t)(f.s.Communities.Comment(ctx, f.bob, contributionID, "Roma", false))
			}, func() *models.Actor { return f.admin }, models.NotifyReviewComment, func() *models.Actor { return f.bob }, "", "commented on", 0},
			{"changes requested", func(t *testing.T) {
				must[*models.ReviewComment](t)(f.s.Communities.Comment(ctx, f.admin, contributionID, "Add a photo", true))
			}, func() *models.Actor { return f.bob }, models.NotifyChangesRequested, func() *models.Actor { return f.admin }, "", "requested changes to “Tomato seeds”", 0},
			{"contribution accepted", func(t *testing.T) {
				must[*models.Contribution](t)(f.s.Communities.Decide(ctx, f.admin, contributionID, true, ""))
			}, func() *models.Actor { return f.bob }, models.NotifyContributionAccepted, func() *models.Actor { return f.admin }, "", "was accepted into the commons of Seed Library", 0},
			{"contribution rejected", func(t *testing.T) {
				offer(t)
				f.all(t, f.admin)
				must[*models.Contribution](t)(f.s.Communities.Decide(ctx, f.admin, contributionID, false, "a duplicate"))
			}, func() *models.Actor { return f.bob }, models.NotifyContributionRejected, func() *models.Actor { return f.admin }, "a duplicate", "rejected by Seed Library: a duplicate", 1},
			{"role change", func(t *testing.T) {
				must[*models.Membership](t)(f.s.Communities.SetRole(ctx, f.admin, f.group, f.bob, models.RoleCommunityMaintainer))
			}, func() *models.Actor { return f.bob }, models.NotifyRoleChange, func() *models.Actor { return f.admin }, models.RoleCommunityMaintainer, "made you maintainer of Seed Library", 0},
			{"remote report, delivered twice", func(t *testing.T) {
				for range 2 {
					if err := f.s.Social.ReceiveFlag(ctx, f.remote, "https://remote.example/flags/1", []string{f.bob.URI}, "spam"); err != nil && servicetest.Status(err) == 0 {
						t.Fatal(err)
					}
				}
			}, func() *models.Actor { return f.admin }, models.NotifyReport, func() *models.Actor { return f.remote }, "spam", "filed a report: spam", 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := map[string]int{}
				for _, a := range []*models.Actor{f.admin, f.ada, f.bob} {
					before[a.ID] = len(f.all(t, a))
				}
				c.run(t)
				rcpt := c.recipient()
				for _, a := range []*models.Actor{f.admin, f.ada, f.bob} {
					got := f.all(t, a)
					want := before[a.ID]
					if a.ID == rcpt.ID {
						want++
					}
					if a.ID == f.admin.ID {
						want += c.steward
					}
					if len(got) != want {
						for _, v := range got {
							t.Logf("%s: %s %q", a.Username, v.Kind, v.Text)
						}
						t.Fatalf("%s has %d notifications, want %d", a.Username, len(got), want)
					}
				}
				got := f.all(t, rcpt)
				last := got[len(got)-1]
				if last.Kind != c.kind || last.ActorID != c.actor().ID || last.Detail != c.detail || last.ReadAt != nil {
					t.Fatalf("got %+v, want kind %s by %s detail %q", last.Notification, c.kind, c.actor().Username, c.detail)
				}
				if !strings.Contains(last.Text, c.text) || last.URL == "" {
					t.Fatalf("text %q (want %q), url %q", last.Text, c.text, last.URL)
				}
			})
		}
	})
}
