package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

var pollFormRE = regexp.MustCompile(`action="/notes/([0-9a-z]+)/poll"`)

// TestSecondInstanceMemberVotes: a member whose account is on a second
// commonsd instance sees the community's proposal as a poll on their home
// page there, votes through that instance's web UI, and the vote counts as
// a binding ballot on the community's instance; the tally update reaches
// their home page.
func TestSecondInstanceMemberVotes(t *testing.T) {
	window := func(c *config.Config) { c.Federation.PollUpdateWindow = time.Second }
	a, b := apptest.Start(t, window), apptest.Start(t, window)
	ctx := context.Background()
	founderBrowser := newBrowser(t, a)
	founderBrowser.signup("ada", nil)
	group, _, err := a.App.Svc.Communities.Create(ctx, user(t, a, "ada"), service.CommunityInput{Handle: "coop", Licence: "MIT"})
	if err != nil {
		t.Fatal(err)
	}
	bob := newBrowser(t, b)
	bob.signup("bob", nil)
	bobActor, err := b.App.Svc.Accounts.ActorOf(ctx, user(t, b, "bob"))
	if err != nil {
		t.Fatal(err)
	}
	// bob follows the community and joins it (open membership) from B.
	f, remoteGroup, err := b.App.Svc.Social.FollowByHandle(ctx, bobActor, a.Handle("coop"))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "bob follows the community", func() bool {
		got, err := b.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	if _, err := b.App.Svc.Communities.Join(ctx, bobActor, remoteGroup, ""); err != nil {
		t.Fatal(err)
	}
	var bobOnA *models.Actor
	apptest.Eventually(t, "bob is a member on A", func() bool {
		bobOnA, err = a.App.Store.ActorByURI(ctx, bobActor.URI)
		if err != nil {
			return false
		}
		m, err := a.App.Store.Membership(ctx, group.ID, bobOnA.ID)
		return err == nil && m.State == models.MembershipActive
	})
	founder, _ := a.App.Svc.Accounts.ActorOf(ctx, user(t, a, "ada"))
	p, err := a.App.Svc.Governance.Propose(ctx, founder, group, service.ProposalInput{Title: "Plant an orchard"})
	if err != nil {
		t.Fatal(err)
	}
	var noteID string
	apptest.Eventually(t, "the poll on bob's home page at B", func() bool {
		m := pollFormRE.FindStringSubmatch(bob.get("/home").Body)
		if m != nil {
			noteID = m[1]
		}
		return m != nil
	})
	want(t, bob.post("/home", "/notes/"+noteID+"/poll", url.Values{"option": {"Yes"}}), http.StatusSeeOther)
	apptest.Eventually(t, "bob's vote binding on A", func() bool {
		v, err := a.App.Svc.Governance.Get(ctx, nil, p.ID)
		return err == nil && v.Counts["Yes"] == 1 && len(v.Advisory) == 0
	})
	b1, err := a.App.Store.BallotOf(ctx, p.ID, bobOnA.ID)
	if err != nil || b1.Option != "Yes" {
		t.Fatalf("bob's ballot on A: %+v (%v)", b1, err)
	}
	want(t, bob.get("/home"), http.StatusOK, "Yes: <strong>1</strong> <span class=\"badge\">your vote</span>")
	// A second vote from B's UI is refused there; A still counts one.
	if r := bob.post("/home", "/notes/"+noteID+"/poll", url.Values{"option": {"No"}}); r.Status != http.StatusConflict {
		t.Fatalf("second vote: %d", r.Status)
	}
	apptest.WaitIdle(t, a, b)
	if v, _ := a.App.Svc.Governance.Get(ctx, nil, p.ID); v.Counts["Yes"] != 1 || v.Counts["No"] != 0 {
		t.Fatalf("counts %v", v.Counts)
	}
}
