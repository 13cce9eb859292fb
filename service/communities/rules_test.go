package communities_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestCommunityCreationRules: who may found a community and what a charter
// must say; a refused creation stores nothing.
func TestCommunityCreationRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		member, _ := f.user(t, "member")
		admins := f.rewired(t, func(c *config.Config) { c.Instance.CommunityCreation = "admins" })

		cases := []struct {
			name string
			f    *fixture
			by   *models.User
			in   service.CommunityInput
			want int
		}{
			{"anonymous", f, nil, service.CommunityInput{Handle: "anon", Licence: "MIT"}, http.StatusUnauthorized},
			{"members may not where admins found", admins, member, service.CommunityInput{Handle: "nope", Licence: "MIT"}, http.StatusForbidden},
			{"admin may where admins found", admins, admins.root, service.CommunityInput{Handle: "adminsown", Licence: "MIT"}, 0},
			{"bad handle", f, member, service.CommunityInput{Handle: "no spaces", Licence: "MIT"}, http.StatusUnprocessableEntity},
			{"unknown licence", f, member, service.CommunityInput{Handle: "lic", Licence: "WTFPL-9"}, http.StatusUnprocessableEntity},
			{"no licence", f, member, service.CommunityInput{Handle: "nolic"}, http.StatusUnprocessableEntity},
			{"name too long", f, member, service.CommunityInput{Handle: "long", Licence: "MIT", Name: strings.Repeat("n", 101)}, http.StatusUnprocessableEntity},
			{"charter too long", f, member, service.CommunityInput{Handle: "charter", Licence: "MIT", Charter: strings.Repeat("c", 20001)}, http.StatusUnprocessableEntity},
			{"unknown posting policy", f, member, service.CommunityInput{Handle: "pp", Licence: "MIT", PostingPolicy: "everyone"}, http.StatusUnprocessableEntity},
			{"unknown offer policy", f, member, service.CommunityInput{Handle: "op", Licence: "MIT", OfferPolicy: "approval"}, http.StatusUnprocessableEntity},
			{"unknown membership policy", f, member, service.CommunityInput{Handle: "mp", Licence: "MIT", MembershipPolicy: "members"}, http.StatusUnprocessableEntity},
			{"negative weight", f, member, service.CommunityInput{Handle: "w1", Licence: "MIT", WeightMin: -1, WeightMax: 5}, http.StatusUnprocessableEntity},
			{"max below min", f, member, service.CommunityInput{Handle: "w2", Licence: "MIT", WeightMin: 5, WeightMax: 4}, http.StatusUnprocessableEntity},
			{"max above 1000", f, member, service.CommunityInput{Handle: "w3", Licence: "MIT", WeightMin: 1, WeightMax: 1001}, http.StatusUnprocessableEntity},
			{"link not http", f, member, service.CommunityInput{Handle: "links", Licence: "MIT", Links: []models.Field{{Name: "x", Value: "javascript:alert(1)"}}}, http.StatusUnprocessableEntity},
			{"valid", f, member, service.CommunityInput{Handle: "valid", Licence: "PPL"}, 0},
			{"handle taken", f, member, service.CommunityInput{Handle: "valid", Licence: "MIT"}, http.StatusConflict},
			{"handle of a person", f, member, service.CommunityInput{Handle: "member", Licence: "MIT"}, http.StatusConflict},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, err := c.f.s.Communities.Directory(c.f.ctx, "", 100, 0)
				if err != nil {
					t.Fatal(err)
				}
				g, com, err := c.f.s.Communities.Create(c.f.ctx, c.by, c.in)
				if got := status(err); got != c.want {
					t.Fatalf("status %d (%v), want %d", got, err, c.want)
				}
				after, _ := c.f.s.Communities.Directory(c.f.ctx, "", 100, 0)
				if c.want != 0 {
					if len(after) != len(before) {
						t.Fatalf("a refused creation changed the directory: %d -> %d", len(before), len(after))
					}
					return
				}
				if len(after) != len(before)+1 || g.Type != models.ActorGroup {
					t.Fatalf("created %v; directory %d -> %d", g, len(before), len(after))
				}
				founder, _ := c.f.s.Accounts.ActorOf(c.f.ctx, c.by)
				if role := c.f.s.Communities.Role(c.f.ctx, g, founder); role != models.RoleCommunitySteward {
					t.Fatalf("founder's role %q, want steward", role)
				}
				// Defaults: members post and offer, anyone joins, weights 1..10.
				if com.PostingPolicy != models.PolicyMembers || com.OfferPolicy != models.PolicyMembers ||
					com.MembershipPolicy != models.PolicyOpen || com.WeightMin != 1 || com.WeightMax != 10 {
					t.Fatalf("defaults: %+v", com)
				}
			})
		}
	})
}

// TestMembershipPolicies: a local community answers a Join by its policy —
// open admits at once, approval waits for a maintainer, invitation refuses
// anyone not invited — and a remote joiner is answered with Accept or Reject.
func TestMembershipPolicies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		cases := []struct {
			policy     string
			remote     bool
			want       int    // status of the Join
			state      string // membership state after it ("" none)
			accepts    int    // Accepts published
			rejects    int    // Rejects published
			afterGrant string // state once a steward approves or invites ("" skip)
		}{
			{models.PolicyOpen, false, 0, models.MembershipActive, 0, 0, ""},
			{models.PolicyOpen, true, 0, models.MembershipActive, 1, 0, ""},
			{models.PolicyApproval, false, 0, models.MembershipPending, 0, 0, models.MembershipActive},
			{models.PolicyApproval, true, 0, models.MembershipPending, 0, 0, models.MembershipActive},
			{models.PolicyInvitation, false, http.StatusForbidden, "", 0, 0, models.MembershipActive},
			{models.PolicyInvitation, true, http.StatusForbidden, "", 0, 1, models.MembershipActive},
		}
		for i, c := range cases {
			name := c.policy
			if c.remote {
				name += "/remote"
			}
			t.Run(name, func(t *testing.T) {
				handle := "c" + string(rune('a'+i))
				g, _ := f.community(t, service.CommunityInput{Handle: handle, Licence: "MIT", MembershipPolicy: c.policy})
				var joiner *models.Actor
				joinURI := ""
				if c.remote {
					joiner = f.remote(t, "j"+handle)
					joinURI = joiner.URI + "/join/1"
				} else {
					_, joiner = f.user(t, "j"+handle)
				}
				accepts, rejects := f.pub.Sent(service.TypeAccept), f.pub.Sent(service.TypeReject)
				m, err := f.s.Communities.Join(f.ctx, joiner, g, joinURI)
				if got := status(err); got != c.want {
					t.Fatalf("join: status %d (%v), want %d", got, err, c.want)
				}
				got := f.s.Communities.MembershipOf(f.ctx, g, joiner)
				switch {
				case c.state == "" && got != nil:
					t.Fatalf("a refused join stored %+v", got)
				case c.state != "" && (got == nil || got.State != c.state || m.State != c.state):
					t.Fatalf("membership %+v, want state %s", got, c.state)
				}
				if n := f.pub.Sent(service.TypeAccept) - accepts; n != c.accepts {
					t.Fatalf("%d Accepts published, want %d", n, c.accepts)
				}
				if n := f.pub.Sent(service.TypeReject) - rejects; n != c.rejects {
					t.Fatalf("%d Rejects published, want %d", n, c.rejects)
				}
				root, _ := f.s.Accounts.ActorOf(f.ctx, f.root)
				switch c.policy {
				case models.PolicyApproval:
					if _, err := f.s.Communities.DecideMembership(f.ctx, joiner, g, m.ID, true); status(err) != http.StatusForbidden {
						t.Fatalf("a pending member approved itself: %v", err)
					}
					if _, err := f.s.Communities.DecideMembership(f.ctx, root, g, m.ID, true); err != nil {
						t.Fatal(err)
					}
					if _, err := f.s.Communities.DecideMembership(f.ctx, root, g, m.ID, true); status(err) != http.StatusConflict {
						t.Fatalf("second decision: %v, want 409", err)
					}
				case models.PolicyInvitation:
					if _, err := f.s.Communities.Invite(f.ctx, joiner, g, joiner); status(err) != http.StatusForbidden {
						t.Fatalf("an outsider invited itself: %v", err)
					}
					inv, err := f.s.Communities.Invite(f.ctx, root, g, joiner)
					if err != nil || inv.State != models.MembershipInvited {
						t.Fatalf("invite: %+v %v", inv, err)
					}
					if _, err := f.s.Communities.Join(f.ctx, joiner, g, joinURI); err != nil {
						t.Fatalf("joining by invitation: %v", err)
					}
				}
				if c.afterGrant != "" {
					if got := f.s.Communities.MembershipOf(f.ctx, g, joiner); got == nil || got.State != c.afterGrant {
						t.Fatalf("after the steward's grant: %+v, want %s", got, c.afterGrant)
					}
				}
			})
		}
	})
}

// png is the smallest prefix attachmentType recognises as PNG.
var png = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0}

// TestOfferValidation: an offer's fields, licence and attachments are checked
// before anything is stored; a valid one is stored open, with attachment types
// decided by the bytes.
func TestOfferValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, func(c *config.Config) { c.Media.MaxAttachmentBytes = 2048 })
		g, _ := f.community(t, service.CommunityInput{Handle: "commons", Licence: "MIT", OfferPolicy: models.PolicyOpen})
		_, contributor := f.user(t, "contributor")
		file := func(name string, data []byte) service.Upload { return service.Upload{Name: name, Data: data} }
		many := make([]service.Upload, models.MaxAttachments+1)
		for i := range many {
			many[i] = file("n.txt", []byte("text"))
		}
		links := make([]string, 21)
		for i := range links {
			links[i] = "https://example.org/" + string(rune('a'+i))
		}
		cases := []struct {
			name string
			in   service.ContributionInput
			want int
		}{
			{"no title", service.ContributionInput{Title: "  "}, http.StatusUnprocessableEntity},
			{"title too long", service.ContributionInput{Title: strings.Repeat("t", 201)}, http.StatusUnprocessableEntity},
			{"body too long", service.ContributionInput{Title: "t", Body: strings.Repeat("b", 50001)}, http.StatusUnprocessableEntity},
			{"unknown kind", service.ContributionInput{Title: "t", Kind: "poem-ish"}, http.StatusUnprocessableEntity},
			{"too many links", service.ContributionInput{Title: "t", Links: links}, http.StatusUnprocessableEntity},
			{"link not http", service.ContributionInput{Title: "t", Links: []string{"file:///etc/passwd"}}, http.StatusUnprocessableEntity},
			{"another licence than the commons'", service.ContributionInput{Title: "t", Licence: "GPL-3.0-or-later"}, http.StatusUnprocessableEntity},
			{"too many attachments", service.ContributionInput{Title: "t", Files: many}, http.StatusUnprocessableEntity},
			{"attachment too large", service.ContributionInput{Title: "t", Files: []service.Upload{file("big.txt", bytes.Repeat([]byte("a"), 2049))}}, http.StatusRequestEntityTooLarge},
			{"empty attachment", service.ContributionInput{Title: "t", Files: []service.Upload{file("e.txt", nil)}}, http.StatusUnprocessableEntity},
			{"binary attachment", service.ContributionInput{Title: "t", Files: []service.Upload{file("x.bin", []byte{0, 1, 2, 0xff})}}, http.StatusUnsupportedMediaType},
			{"unknown co-contributor", service.ContributionInput{Title: "t", CoContributors: []string{"nobody"}}, http.StatusUnprocessableEntity},
			{"valid", service.ContributionInput{Title: "A design", Body: "**bold**", Kind: "design",
				Files: []service.Upload{file("../../logo.txt", png), file("notes.md", []byte("# notes"))}}, 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, err := f.s.Communities.OpenContributions(f.ctx, g, 100, 0)
				if err != nil {
					t.Fatal(err)
				}
				co, err := f.s.Communities.Offer(f.ctx, contributor, g, c.in, nil)
				if got := status(err); got != c.want {
					t.Fatalf("status %d (%v), want %d", got, err, c.want)
				}
				after, _ := f.s.Communities.OpenContributions(f.ctx, g, 100, 0)
				if c.want != 0 {
					if len(after) != len(before) {
						t.Fatalf("a refused offer was stored")
					}
					return
				}
				if len(after) != len(before)+1 || co.State != models.ContributionOpen || co.Licence != "MIT" {
					t.Fatalf("stored %+v", co)
				}
				atts := service.Attachments(co)
				if len(atts) != 2 {
					t.Fatalf("attachments %+v", atts)
				}
				// Types come from the bytes, names lose their directories.
				if atts[0].MediaType != "image/png" || atts[0].Name != "logo.txt" || atts[1].MediaType != "text/markdown" {
					t.Fatalf("attachments %+v", atts)
				}
			})
		}
	})
}

// TestLedgerWeightBounds: an accepted contribution enters the ledger at the
// charter's minimum weight; a maintainer may set a weight within the charter's
// bounds only, and only on the community's own entries.
func TestLedgerWeightBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		steward, _ := f.s.Accounts.ActorOf(f.ctx, f.root)
		g, _ := f.community(t, service.CommunityInput{Handle: "commons", Licence: "MIT", OfferPolicy: models.PolicyOpen, WeightMin: 2, WeightMax: 5})
		other, _ := f.community(t, service.CommunityInput{Handle: "other", Licence: "MIT", OfferPolicy: models.PolicyOpen})
		_, contributor := f.user(t, "contributor")

		accepted := func(group *models.Actor) models.LedgerEntry {
			t.Helper()
			co, err := f.s.Communities.Offer(f.ctx, contributor, group, service.ContributionInput{Title: "work"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Communities.Decide(f.ctx, steward, co.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			entries, n, err := f.s.Communities.Ledger(f.ctx, group, 10, 0)
			if err != nil || n != 1 || len(entries) != 1 {
				t.Fatalf("ledger: %d entries (%v)", n, err)
			}
			return entries[0]
		}
		entry := accepted(g)
		if entry.Weight != 2 || entry.ContributorID != contributor.ID {
			t.Fatalf("entry %+v, want weight 2 (the charter's minimum) for the contributor", entry)
		}
		foreign := accepted(other)

		cases := []struct {
			name    string
			by      *models.Actor
			entryID string
			weight  int
			want    int
		}{
			{"below the minimum", steward, entry.ID, 1, http.StatusUnprocessableEntity},
			{"above the maximum", steward, entry.ID, 6, http.StatusUnprocessableEntity},
			{"a non-maintainer", contributor, entry.ID, 3, http.StatusForbidden},
			{"unknown entry", steward, models.NewID(), 3, http.StatusNotFound},
			{"another community's entry", steward, foreign.ID, 3, http.StatusNotFound},
			{"the maximum", steward, entry.ID, 5, 0},
			{"the minimum", steward, entry.ID, 2, 0},
			{"within", steward, entry.ID, 4, 0},
		}
		weight := entry.Weight
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := f.s.Communities.SetWeight(f.ctx, c.by, g, c.entryID, c.weight)
				if got := status(err); got != c.want {
					t.Fatalf("status %d (%v), want %d", got, err, c.want)
				}
				if c.want == 0 {
					weight = c.weight
				}
				entries, _, err := f.s.Communities.Ledger(f.ctx, g, 10, 0)
				if err != nil || len(entries) != 1 || entries[0].Weight != weight {
					t.Fatalf("ledger %+v (%v), want weight %d", entries, err, weight)
				}
			})
		}
	})
}
