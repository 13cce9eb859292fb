package economy_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// announce publishes an announcement of the Seed Fund to the seeds community.
func (f *fixture) announce(t *testing.T, in economy.AnnouncementInput) *economy.AnnouncementView {
	t.Helper()
	if in.As == "" {
		in.As = "seedfund"
	}
	if in.Kind == "" {
		in.Kind = models.AnnouncementJob
	}
	if in.Title == "" {
		in.Title = "Seed librarian"
	}
	if in.Body == "" {
		in.Body = "Catalogue the seed bank, **two days** a week."
	}
	if in.Communities == nil {
		in.Communities = []string{"seeds"}
	}
	v, err := f.s.Economy.PublishAnnouncement(f.ctx, f.treasurer, in)
	if err != nil {
		t.Fatalf("PublishAnnouncement: %v", err)
	}
	return v
}

// partner makes the Seed Fund a recognised partner of seeds.
func (f *fixture) partner(t *testing.T) {
	t.Helper()
	p := f.request(t)
	if _, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, true); err != nil {
		t.Fatal(err)
	}
	f.pub.Out = nil
}

// groupAnnounces counts the seeds Group's Announce of the note uri.
func (f *fixture) groupAnnounces(uri string) int {
	n := 0
	for _, o := range f.pub.Out {
		if ref, ok := o.Object.(service.Ref); ok && o.Type == service.TypeAnnounce && o.Actor.ID == f.group.ID && ref.URI == uri {
			n++
		}
	}
	return n
}

func (f *fixture) relayState(t *testing.T, annID string) string {
	t.Helper()
	r, err := f.st.Relay(f.ctx, f.group.ID, annID)
	if err != nil {
		return "none"
	}
	return r.State
}

func TestAnnouncements(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"partner's announcement is announced by the community", func(t *testing.T, f *fixture) {
			f.partner(t)
			at := f.now.Add(72 * time.Hour)
			v := f.announce(t, economy.AnnouncementInput{ForWhom: "seed savers", Price: "25.50", Currency: "EUR", At: at,
				Link: "https://seedfund.example/jobs/1"})
			if !strings.HasSuffix(v.URI, "/announcements/"+v.ID) {
				t.Errorf("URI = %s", v.URI)
			}
			if v.Purpose != "request" || v.PriceMinor != 2550 || v.Currency != "EUR" || v.At == nil || !v.At.Equal(at) {
				t.Errorf("announcement = %+v", v.Announcement)
			}
			var create *service.Outbound
			for _, o := range f.pub.Out {
				if o.Type == service.TypeCreate {
					create = o
				}
			}
			if create == nil || create.Actor.ID != f.fund.ID || !contains(create.CC, f.group.URI) || !create.ToFollowers {
				t.Fatalf("Create = %+v", create)
			}
			if f.groupAnnounces(v.URI) != 1 || f.relayState(t, v.ID) != models.RelayAnnounced {
				t.Errorf("announces = %d, relay %s", f.groupAnnounces(v.URI), f.relayState(t, v.ID))
			}
			n, err := f.st.NoteByURI(f.ctx, v.URI)
			if err != nil || n.AudienceURI != "" || n.AuthorID != f.fund.ID {
				t.Fatalf("note = %+v, %v", n, err)
			}
			for _, want := range []string{"Job: Seed librarian", "For: seed savers", "Pay: €25.50", "Deadline: ", "Link: "} {
				if !strings.Contains(n.Content, want) {
					t.Errorf("content lacks %q: %s", want, n.Content)
				}
			}
			list, err := f.s.Economy.CommunityAnnouncements(f.ctx, nil, f.group, models.RelayAnnounced, 10, 0)
			if err != nil || len(list) != 1 || list[0].ID != v.ID {
				t.Errorf("announced list = %v, %v", list, err)
			}
		}},
		{"non-partner's is held, then approved", func(t *testing.T, f *fixture) {
			v := f.announce(t, economy.AnnouncementInput{Kind: models.AnnouncementEvent, Title: "Seed swap",
				At: f.now.Add(48 * time.Hour), PayNote: models.PayVolunteer})
			if f.groupAnnounces(v.URI) != 0 || f.relayState(t, v.ID) != models.RelayHeld {
				t.Fatalf("announces = %d, relay %s", f.groupAnnounces(v.URI), f.relayState(t, v.ID))
			}
			alice, bob := f.actorOf(t, f.alice), f.actorOf(t, f.bob)
			if n := f.s.Economy.HeldCount(f.ctx, alice, f.group); n != 1 {
				t.Errorf("held count = %d", n)
			}
			views, err := f.s.Notifications.List(f.ctx, alice, service.NotificationFilter{})
			if err != nil || len(views) == 0 || views[0].Kind != "announcement_held" || !strings.HasSuffix(views[0].URL, "/c/seeds/announcements") {
				t.Errorf("notifications = %+v, %v", views, err)
			}
			if _, err := f.s.Economy.CommunityAnnouncements(f.ctx, bob, f.group, models.RelayHeld, 10, 0); status(err) != 403 {
				t.Errorf("a stranger lists held: %v", err)
			}
			if err := f.s.Economy.DecideAnnouncement(f.ctx, bob, f.group, v.ID, true); status(err) != 403 {
				t.Errorf("a stranger approves: %v", err)
			}
			if err := f.s.Economy.DecideAnnouncement(f.ctx, alice, f.group, v.ID, true); err != nil {
				t.Fatalf("approve: %v", err)
			}
			if f.groupAnnounces(v.URI) != 1 || f.relayState(t, v.ID) != models.RelayAnnounced {
				t.Errorf("after approval: announces = %d, relay %s", f.groupAnnounces(v.URI), f.relayState(t, v.ID))
			}
			if err := f.s.Economy.DecideAnnouncement(f.ctx, alice, f.group, v.ID, false); status(err) != 409 {
				t.Errorf("deciding twice: %v, want 409", err)
			}
		}},
		{"held and ignored", func(t *testing.T, f *fixture) {
			v := f.announce(t, economy.AnnouncementInput{Kind: models.AnnouncementGoods, Title: "Seed packets", Price: "3", Currency: "EUR"})
			alice := f.actorOf(t, f.alice)
			if err := f.s.Economy.DecideAnnouncement(f.ctx, alice, f.group, v.ID, false); err != nil {
				t.Fatal(err)
			}
			if f.groupAnnounces(v.URI) != 0 || f.relayState(t, v.ID) != models.RelayIgnored {
				t.Errorf("ignored: announces = %d, relay %s", f.groupAnnounces(v.URI), f.relayState(t, v.ID))
			}
			if v.Purpose != "offer" {
				t.Errorf("goods purpose = %s", v.Purpose)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) { tc.run(t, newFixture(t, st)) })
		})
	}
}

func TestAnnouncementBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for _, tc := range []struct {
			name  string
			by    *models.User
			in    economy.AnnouncementInput
			code  int
			field string
		}{
			{"unknown kind", f.treasurer, economy.AnnouncementInput{Kind: "raffle"}, 422, "kind"},
			{"bounty without payout", f.treasurer, economy.AnnouncementInput{Kind: models.AnnouncementBounty}, 422, "price"},
			{"float price", f.treasurer, economy.AnnouncementInput{Price: "1e3", Currency: "EUR"}, 422, "price"},
			{"negative price", f.treasurer, economy.AnnouncementInput{Price: "-5", Currency: "EUR"}, 422, "price"},
			{"over-precise price", f.treasurer, economy.AnnouncementInput{Price: "5.001", Currency: "EUR"}, 422, "price"},
			{"unknown currency", f.treasurer, economy.AnnouncementInput{Price: "5", Currency: "XYZ"}, 422, "price"},
			{"price and volunteer", f.treasurer, economy.AnnouncementInput{Price: "5", Currency: "EUR", PayNote: models.PayVolunteer}, 422, "pay_note"},
			{"unknown pay note", f.treasurer, economy.AnnouncementInput{PayNote: "free"}, 422, "pay_note"},
			{"event without time", f.treasurer, economy.AnnouncementInput{Kind: models.AnnouncementEvent}, 422, "at"},
			{"deadline past", f.treasurer, economy.AnnouncementInput{At: f.now.Add(-time.Hour)}, 422, "at"},
			{"bad link", f.treasurer, economy.AnnouncementInput{Link: "javascript:alert(1)"}, 422, "link"},
			{"not a community", f.treasurer, economy.AnnouncementInput{Communities: []string{"alice"}}, 422, "communities"},
			{"not an admin", f.bob, economy.AnnouncementInput{As: "seedfund"}, 403, ""},
			{"a person", f.bob, economy.AnnouncementInput{As: "bob"}, 403, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				if in.As == "" {
					in.As = "seedfund"
				}
				if in.Kind == "" {
					in.Kind = models.AnnouncementJob
				}
				in.Title, in.Body = "T", "B"
				if in.Communities == nil {
					in.Communities = []string{"seeds"}
				}
				f.pub.Out = nil
				_, err := f.s.Economy.PublishAnnouncement(f.ctx, tc.by, in)
				if status(err) != tc.code {
					t.Fatalf("err = %v, want %d", err, tc.code)
				}
				if tc.field != "" {
					found := false
					for _, fe := range errsFields(err) {
						found = found || fe == tc.field
					}
					if !found {
						t.Errorf("fields of %v lack %s", err, tc.field)
					}
				}
				if len(f.pub.Out) != 0 {
					t.Errorf("published %d activities", len(f.pub.Out))
				}
			})
		}
		list, err := f.s.Economy.AnnouncementsBy(f.ctx, f.fund, "", 10, 0)
		if err != nil || len(list) != 0 {
			t.Errorf("announcements stored: %v, %v", list, err)
		}
	})
}

// remoteOrg stores an Organization of another server.
func (f *fixture) remoteOrg(t *testing.T, typ string) *models.Actor {
	t.Helper()
	base := "https://coop.example/users/" + models.NewID()
	a := &models.Actor{ID: models.NewID(), Type: typ, Username: "coop" + strings.ToLower(models.NewID()[20:]), Domain: "coop.example",
		URI: base, InboxURI: base + "/inbox", FollowersURI: base + "/followers"}
	if err := f.st.CreateActor(f.ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReceiveAnnouncement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		coop := f.remoteOrg(t, models.ActorOrganization)
		person := f.remoteOrg(t, models.ActorPerson)
		eur := models.Money{Minor: 10000, Currency: "EUR"}
		in := func(id string) economy.RemoteAnnouncement {
			return economy.RemoteAnnouncement{URI: coop.URI + "/notes/" + id, Title: "Fix the catalogue", BodyHTML: "<p>Fix it.</p>",
				Kind: models.AnnouncementBounty, Purpose: "request", Price: &eur, Communities: []string{f.group.URI}}
		}
		stored := 0
		store := func(author *models.Actor, uri string) func(ctx context.Context) (*models.Note, error) {
			return func(ctx context.Context) (*models.Note, error) {
				stored++
				n := &models.Note{ID: models.NewID(), URI: uri, Type: "Note", AuthorID: author.ID, Content: "<p>x</p>",
					Visibility: models.VisibilityPublic, To: []string{service.PublicCollection}, Published: f.now}
				if err := f.st.CreateNote(ctx, n, nil); err != nil {
					return f.st.NoteByURI(ctx, uri)
				}
				return n, nil
			}
		}
		for _, tc := range []struct {
			name   string
			author *models.Actor
			in     economy.RemoteAnnouncement
			code   int
		}{
			{"a person", person, in("p1"), 403},
			{"unknown kind", coop, func() economy.RemoteAnnouncement { x := in("k1"); x.Kind = "raffle"; return x }(), 400},
			{"bounty without payout", coop, func() economy.RemoteAnnouncement { x := in("b1"); x.Price = nil; return x }(), 400},
			{"claims a partnership", coop, func() economy.RemoteAnnouncement { x := in("c1"); x.PartnerOf = []string{f.group.URI}; return x }(), 403},
			{"bad purpose", coop, func() economy.RemoteAnnouncement { x := in("u1"); x.Purpose = "gift"; return x }(), 400},
		} {
			t.Run(tc.name, func(t *testing.T) {
				stored = 0
				_, err := f.s.Economy.ReceiveAnnouncement(f.ctx, tc.author, tc.in, store(tc.author, tc.in.URI))
				if status(err) != tc.code {
					t.Fatalf("err = %v, want %d", err, tc.code)
				}
				if stored != 0 {
					t.Error("the note was stored")
				}
				if _, err := f.st.AnnouncementByURI(f.ctx, tc.in.URI); err == nil {
					t.Error("the announcement was stored")
				}
			})
		}
		// A non-partner's is held once, even delivered twice.
		a := in("ok1")
		for i := 0; i < 2; i++ {
			got, err := f.s.Economy.ReceiveAnnouncement(f.ctx, coop, a, store(coop, a.URI))
			if err != nil || got == nil {
				t.Fatalf("receive #%d: %v, %v", i, got, err)
			}
			if f.relayState(t, got.ID) != models.RelayHeld {
				t.Errorf("relay = %s", f.relayState(t, got.ID))
			}
		}
		alice := f.actorOf(t, f.alice)
		held, _ := f.s.Economy.CommunityAnnouncements(f.ctx, alice, f.group, models.RelayHeld, 10, 0)
		if len(held) != 1 {
			t.Errorf("held = %d, want 1", len(held))
		}
		// Another author may not reuse its id.
		other := f.remoteOrg(t, models.ActorOrganization)
		if _, err := f.s.Economy.ReceiveAnnouncement(f.ctx, other, a, store(other, a.URI)); status(err) != 403 {
			t.Errorf("id of another author: %v", err)
		}
		// Once recognised (a proposal naming the remote organization), its
		// announcements are announced at once, and it may say so.
		f.recogniseByProposal(t, coop.URI)
		f.pub.Out = nil
		b := in("ok2")
		b.PartnerOf = []string{f.group.URI}
		got, err := f.s.Economy.ReceiveAnnouncement(f.ctx, coop, b, store(coop, b.URI))
		if err != nil || f.relayState(t, got.ID) != models.RelayAnnounced || f.groupAnnounces(b.URI) != 1 {
			t.Errorf("partner's: %v, relay %s, announces %d", err, f.relayState(t, got.ID), f.groupAnnounces(b.URI))
		}
	})
}

// offer offers a contribution to seeds by alice (a steward, so a member).
func (f *fixture) offer(t *testing.T, bounty string) *models.Contribution {
	t.Helper()
	alice := f.actorOf(t, f.alice)
	co, err := f.s.Communities.Offer(f.ctx, alice, f.group, service.ContributionInput{Title: "Catalogue of 2026",
		Body: "All the seeds.", Kind: "knowledge", Bounty: bounty}, nil)
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	return co
}

func TestBounty(t *testing.T) {
	for _, byProposal := range []bool{false, true} {
		name := "accepted by a maintainer"
		if byProposal {
			name = "accepted by proposal"
		}
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				job := f.announce(t, economy.AnnouncementInput{})
				b := f.announce(t, economy.AnnouncementInput{Kind: models.AnnouncementBounty, Title: "Catalogue the seeds",
					Price: "100.01", Currency: "EUR"})
				alice := f.actorOf(t, f.alice)
				// Claims that are refused change nothing.
				for _, ref := range []string{job.ID, "01jnosuchbounty00000000000", "https://elsewhere.example/b/1"} {
					if _, err := f.s.Communities.Offer(f.ctx, alice, f.group, service.ContributionInput{Title: "X", Body: "Y",
						Kind: "knowledge", Bounty: ref}, nil); status(err) != 422 || !strings.Contains(errs.Message(err), "bounty") {
						t.Errorf("claim of %s: %v, want 422", ref, err)
					}
				}
				co := f.offer(t, b.URI)
				if byProposal {
					p, err := f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "accept_contribution",
						Title: "Accept the catalogue", Args: json.RawMessage(`{"contribution":"` + co.ID + `"}`)})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := f.s.Governance.Vote(f.ctx, alice, p.ID, "Yes"); err != nil {
						t.Fatal(err)
					}
					f.now = p.ClosesAt.Add(1)
					if closed, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || !closed {
						t.Fatalf("Close = %v, %v", closed, err)
					}
				} else if _, err := f.s.Communities.Decide(f.ctx, alice, co.ID, true, ""); err != nil {
					t.Fatal(err)
				}
				bv, err := f.s.Economy.Bounty(f.ctx, b.ID)
				if err != nil || bv.State != models.AnnouncementClosed || len(bv.Claims) != 1 {
					t.Fatalf("bounty = %+v, %v", bv, err)
				}
				if bv.Payout.Minor != 10001 || bv.Paid.Minor != 0 {
					t.Errorf("payout %v paid %v", bv.Payout, bv.Paid)
				}
				for _, owner := range []*models.Actor{f.fund, f.group} {
					tot, err := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: owner.ID})
					if err != nil || len(tot) != 1 || tot[0].Payouts != 10001 || tot[0].PendingPayouts() != 10001 || tot[0].Balance() != 0 {
						t.Errorf("%s totals = %+v, %v", owner.Username, tot, err)
					}
				}
				// A second claim of the closed bounty is refused.
				if _, err := f.s.Communities.Offer(f.ctx, alice, f.group, service.ContributionInput{Title: "X", Body: "Y",
					Kind: "knowledge", Bounty: b.ID}, nil); status(err) != 422 || !strings.Contains(errs.Message(err), "closed") {
					t.Errorf("claim of a closed bounty: %v", err)
				}
				if _, err := f.s.Economy.ConfirmBountyPaid(f.ctx, f.bob, b.ID); status(err) != 403 {
					t.Errorf("a stranger confirms: %v", err)
				}
				paid, err := f.s.Economy.ConfirmBountyPaid(f.ctx, f.treasurer, b.ID)
				if err != nil || len(paid) != 2 {
					t.Fatalf("confirm = %v, %v", paid, err)
				}
				if _, err := f.s.Economy.ConfirmBountyPaid(f.ctx, f.treasurer, b.ID); status(err) != 409 {
					t.Errorf("confirming twice: %v", err)
				}
				for _, owner := range []*models.Actor{f.fund, f.group} {
					tot, _ := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: owner.ID})
					if len(tot) != 1 || tot[0].Paid != 10001 || tot[0].PendingPayouts() != 0 {
						t.Errorf("%s totals after payment = %+v", owner.Username, tot)
					}
				}
				bv, _ = f.s.Economy.Bounty(f.ctx, b.ID)
				if bv.State != models.AnnouncementPaid || bv.Paid.Minor != 10001 {
					t.Errorf("after payment: %s, paid %v", bv.State, bv.Paid)
				}
			})
		})
	}
}

func errsFields(err error) []string {
	var out []string
	for _, f := range errs.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}
