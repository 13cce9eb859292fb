package communities_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestContributionRevisions walks an offer to a local community through
// review, revisions, a rejection reopened by a revision, acceptance and
// comments after the decision; each step's status, state and revision count.
func TestContributionRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		contributor := f.local(t, "contributor")
		stranger := f.local(t, "stranger")
		co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: "a guide", Body: "first text",
			Kind: "knowledge", Links: []string{"https://example.org/a"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		revise := func(by *models.Actor, title, body string) func() error {
			return func() error {
				_, err := f.s.Communities.Revise(f.ctx, by, co.ID, service.RevisionInput{Title: title, Body: body, Links: []string{"https://example.org/b"}}, nil)
				return err
			}
		}
		comment := func(by *models.Actor, body string, changes bool) func() error {
			return func() error { _, err := f.s.Communities.Comment(f.ctx, by, co.ID, body, changes); return err }
		}
		decide := func(accept bool) func() error {
			return func() error { _, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, accept, "not yet"); return err }
		}
		steps := []struct {
			name      string
			do        func() error
			status    int
			state     string
			revisions int
		}{
			{"a stranger revises", revise(stranger, "mine", ""), http.StatusForbidden, models.ContributionOpen, 1},
			{"a maintainer revises", revise(f.steward, "mine", ""), http.StatusForbidden, models.ContributionOpen, 1},
			{"anonymous", revise(nil, "x", ""), http.StatusUnauthorized, models.ContributionOpen, 1},
			{"empty title", revise(contributor, " ", "x"), http.StatusUnprocessableEntity, models.ContributionOpen, 1},
			{"changes requested", comment(f.steward, "add a summary", true), 0, models.ContributionChangesRequested, 1},
			{"revision 2", revise(contributor, "a better guide", "second text"), 0, models.ContributionOpen, 2},
			{"comment on revision 2", comment(f.steward, "better", false), 0, models.ContributionOpen, 2},
			{"rejected", decide(false), 0, models.ContributionRejected, 2},
			{"reopened by revision 3", revise(contributor, "the guide", "third text"), 0, models.ContributionOpen, 3},
			{"accepted", decide(true), 0, models.ContributionAccepted, 3},
			{"no revision after acceptance", revise(contributor, "late", "x"), http.StatusConflict, models.ContributionAccepted, 3},
			{"a comment after the decision", comment(f.steward, "thanks!", false), 0, models.ContributionAccepted, 3},
			{"the contributor answers after it", comment(contributor, "welcome", false), 0, models.ContributionAccepted, 3},
			{"no changes requested after it", comment(f.steward, "one more", true), http.StatusConflict, models.ContributionAccepted, 3},
			{"no withdrawal after it", func() error { _, err := f.s.Communities.Withdraw(f.ctx, contributor, co.ID, false); return err },
				http.StatusConflict, models.ContributionAccepted, 3},
		}
		for _, s := range steps {
			if err := s.do(); status(err) != s.status {
				t.Fatalf("%s: status %d (%v), want %d", s.name, status(err), err, s.status)
			}
			got, _ := st.ContributionByID(f.ctx, co.ID)
			revs, err := f.s.Communities.Revisions(f.ctx, got)
			if err != nil || got.State != s.state || len(revs) != s.revisions || got.Revision != s.revisions {
				t.Fatalf("%s: state %s, revision %d, %d revisions (%v); want %s, %d", s.name, got.State, got.Revision, len(revs), err, s.state, s.revisions)
			}
		}
		revs, _ := f.s.Communities.Revisions(f.ctx, co)
		for i, want := range []struct{ title, body string }{{"a guide", "first text"}, {"a better guide", "second text"}, {"the guide", "third text"}} {
			r := revs[i]
			if r.Number != i+1 || r.Title != want.title || r.Body != want.body || r.AuthorID != contributor.ID {
				t.Fatalf("revision %d: %+v", i+1, r)
			}
		}
		if revs[0].Links[0] != "https://example.org/a" || revs[2].Links[0] != "https://example.org/b" {
			t.Fatalf("links: %v %v", revs[0].Links, revs[2].Links)
		}
		comments, _ := f.s.Communities.Comments(f.ctx, co.ID)
		wantRev := []int{1, 2, 3, 3}
		if len(comments) != len(wantRev) {
			t.Fatalf("%d comments", len(comments))
		}
		for i, c := range comments {
			if c.Revision != wantRev[i] {
				t.Fatalf("comment %d (%q) on revision %d, want %d", i, c.Body, c.Revision, wantRev[i])
			}
		}
		// Nothing went out: the contributor and the community are both here.
		if n := published(t, st, "Update", co.URI); n != 0 {
			t.Fatalf("%d Update published for a local offer", n)
		}
	})
}

// TestContributionWithdraw: only the contributor withdraws an undecided offer;
// a withdrawn offer is neither revised nor decided; an offer to a remote
// community is withdrawn there by Undo{Offer}.
func TestContributionWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		contributor := f.local(t, "contributor")
		co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: "a guide", Kind: "knowledge"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name   string
			do     func() error
			status int
		}{
			{"by a maintainer", func() error { _, err := f.s.Communities.Withdraw(f.ctx, f.steward, co.ID, false); return err }, http.StatusForbidden},
			{"by the contributor", func() error { _, err := f.s.Communities.Withdraw(f.ctx, contributor, co.ID, false); return err }, 0},
			{"again", func() error { _, err := f.s.Communities.Withdraw(f.ctx, contributor, co.ID, false); return err }, 0},
			{"revised after", func() error {
				_, err := f.s.Communities.Revise(f.ctx, contributor, co.ID, service.RevisionInput{Title: "x"}, nil)
				return err
			}, http.StatusConflict},
			{"accepted after", func() error { _, err := f.s.Communities.Decide(f.ctx, f.steward, co.ID, true, ""); return err }, http.StatusConflict},
			{"changes requested after", func() error { _, err := f.s.Communities.Comment(f.ctx, f.steward, co.ID, "x", true); return err }, http.StatusConflict},
		}
		for _, s := range steps {
			if err := s.do(); status(err) != s.status {
				t.Fatalf("%s: status %d (%v), want %d", s.name, status(err), err, s.status)
			}
		}
		if got, _ := st.ContributionByID(f.ctx, co.ID); got.State != models.ContributionWithdrawn {
			t.Fatalf("state %s", got.State)
		}

		// To a community on another server: the revision goes as
		// Update{contribution}, the withdrawal as Undo{Offer}, to the Group.
		guild := f.remote(t, "guild")
		guild.Type = models.ActorGroup
		if err := st.UpdateActor(f.ctx, guild); err != nil {
			t.Fatal(err)
		}
		away, err := f.s.Communities.Offer(f.ctx, contributor, guild, service.ContributionInput{Title: "patch", Kind: "code", Licence: "MIT"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Communities.Revise(f.ctx, contributor, away.ID, service.RevisionInput{Title: "patch v2", Body: "better"}, nil); err != nil {
			t.Fatal(err)
		}
		if n := published(t, st, "Update", away.URI); n != 1 {
			t.Fatalf("%d Update{contribution} published", n)
		}
		if _, err := f.s.Communities.Withdraw(f.ctx, contributor, away.ID, false); err != nil {
			t.Fatal(err)
		}
		if n := published(t, st, "Undo", away.OfferURI); n != 1 {
			t.Fatalf("%d Undo{Offer} published", n)
		}
	})
}

// TestRemoteRevision: a remote contributor's revision (Update from their
// server) of an offer to our community; the same Update again changes
// nothing; another remote actor's, or a local call for a remote contributor,
// is refused; a remote Undo{Offer} withdraws.
func TestRemoteRevision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		rita := f.remote(t, "rita")
		mallory := f.remote(t, "mallory")
		co, err := f.s.Communities.Offer(f.ctx, rita, f.group, service.ContributionInput{Title: "seeds", Body: "v1", Kind: "knowledge", Licence: "MIT"},
			&service.RemoteOffer{ObjectURI: rita.URI + "/works/1", OfferURI: rita.URI + "/offers/1", Contributors: []string{rita.URI}})
		if err != nil {
			t.Fatal(err)
		}
		rev := func(by *models.Actor, n int) *service.RemoteRevision {
			return &service.RemoteRevision{ActivityURI: fmt.Sprintf("%s/updates/%d", by.URI, n),
				Attachments: []models.Attachment{{URL: "javascript:alert(1)"}, {URL: by.URI + "/files/1", MediaType: "application/pdf"}}}
		}
		steps := []struct {
			name      string
			by        *models.Actor
			remote    *service.RemoteRevision
			status    int
			revisions int
		}{
			{"another remote actor", mallory, rev(mallory, 1), http.StatusForbidden, 1},
			{"as if local", rita, nil, http.StatusForbidden, 1},
			{"the contributor's server", rita, rev(rita, 1), 0, 2},
			{"delivered again", rita, rev(rita, 1), 0, 2},
			{"a second revision", rita, rev(rita, 2), 0, 3},
		}
		for _, s := range steps {
			_, err := f.s.Communities.Revise(f.ctx, s.by, co.ID, service.RevisionInput{Title: "seeds v2", Body: "v2",
				Links: []string{"ftp://nope.example", "https://ok.example"}}, s.remote)
			if status(err) != s.status {
				t.Fatalf("%s: status %d (%v), want %d", s.name, status(err), err, s.status)
			}
			got, _ := st.ContributionByID(f.ctx, co.ID)
			if got.Revision != s.revisions {
				t.Fatalf("%s: revision %d, want %d", s.name, got.Revision, s.revisions)
			}
		}
		got, _ := st.ContributionByID(f.ctx, co.ID)
		atts := service.Attachments(got)
		if got.Title != "seeds v2" || len(got.Links) != 1 || got.Links[0] != "https://ok.example" || len(atts) != 1 || atts[0].URL != rita.URI+"/files/1" {
			t.Fatalf("after remote revisions: %+v %v", got, atts)
		}
		if err := f.s.Communities.ReceiveWithdrawal(f.ctx, mallory, co.OfferURI); status(err) != http.StatusForbidden {
			t.Fatalf("another actor's Undo{Offer}: %v", err)
		}
		if err := f.s.Communities.ReceiveWithdrawal(f.ctx, rita, co.OfferURI); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.ContributionByID(f.ctx, co.ID); got.State != models.ContributionWithdrawn {
			t.Fatalf("state %s", got.State)
		}
	})
}

// TestRevisionRace: two revisions race. A revision read after the other
// committed simply follows it (revisions 2 and 3); two made from the same
// revision cannot both apply: one is refused (409) and leaves no row. Either
// way the contribution's revision number, its text and its revision rows agree.
func TestRevisionRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newCommonsFixture(t, st, models.PolicyOpen)
		contributor := f.local(t, "contributor")
		for i := 0; i < raceRounds/5; i++ {
			co, err := f.s.Communities.Offer(f.ctx, contributor, f.group, service.ContributionInput{Title: fmt.Sprint("work ", i), Kind: "code"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			errA, errB := race(
				func() error {
					_, err := f.s.Communities.Revise(f.ctx, contributor, co.ID, service.RevisionInput{Title: "A"}, nil)
					return err
				},
				func() error {
					_, err := f.s.Communities.Revise(f.ctx, contributor, co.ID, service.RevisionInput{Title: "B"}, nil)
					return err
				})
			applied := 0
			for _, err := range []error{errA, errB} {
				switch status(err) {
				case 0:
					applied++
				case http.StatusConflict:
				default:
					t.Fatalf("round %d: %v", i, err)
				}
			}
			got, _ := st.ContributionByID(f.ctx, co.ID)
			revs, _ := st.ContributionRevisions(f.ctx, co.ID)
			if applied == 0 || got.Revision != 1+applied || len(revs) != 1+applied || revs[len(revs)-1].Title != got.Title {
				t.Fatalf("round %d: %d applied; revision %d %q, %d rows", i, applied, got.Revision, got.Title, len(revs))
			}
			for n, r := range revs {
				if r.Number != n+1 {
					t.Fatalf("round %d: revision rows %+v", i, revs)
				}
			}
		}
	})
}
