package frontend_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// otherPerson is a second person in the same Chromium: a tab in its own browser
// context (its own cookies), as another person's browser would be. Both
// instances of a test live on 127.0.0.1, and cookies ignore the port, so one
// person logged in on both would have one session cookie overwrite the other.
func (d *driver) otherPerson() *driver {
	ctx, cancel := chromedp.NewContext(d.ctx, chromedp.WithNewBrowserContext())
	d.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		d.t.Fatalf("new browser context: %v", err)
	}
	return &driver{t: d.t, ctx: ctx, shots: d.shots}
}

// reloadUntil reloads the page until sel's text contains want: what another
// instance sends arrives through its delivery queue, a moment later.
func (d *driver) reloadUntil(what, sel, want string) {
	d.t.Helper()
	for {
		got, err := chromedp.Run(d.ctx, chromedp.Text(chromedp.CSS(sel)))
		if err == nil && strings.Contains(got, want) {
			return
		}
		select {
		case <-d.ctx.Done():
			d.t.Fatalf("%s: %s never showed %q (last: %q, %v)", what, sel, want, got, err)
		case <-time.After(300 * time.Millisecond):
		}
		if err := chromedp.Do(d.ctx, chromedp.Reload(), chromedp.WaitReady(chromedp.CSS(`body`))); err != nil {
			d.t.Fatalf("%s: reload: %v", what, err)
		}
	}
}

// waitLocation waits until the tab's address starts with prefix.
func (d *driver) waitLocation(what, prefix string) {
	d.t.Helper()
	for {
		loc, err := chromedp.Run(d.ctx, chromedp.Location())
		if err == nil && strings.HasPrefix(loc, prefix) {
			return
		}
		select {
		case <-d.ctx.Done():
			d.t.Fatalf("%s: still at %q (%v), want %s…", what, loc, err, prefix)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (d *driver) login(base, name, ready string) {
	d.t.Helper()
	d.step("log in as "+name+" on "+base,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
		chromedp.SendKeys(chromedp.CSS(`#f-login`), name),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(ready),
	)
}

// TestBrowserTwoInstanceWalk is issue 10's "done when", in one go through two
// instances' web pages: bea, whose account is on B, follows maria's community on
// A with "Follow from your instance"; joins it with "Join from another server"
// (the confirming message written on B's /share page); maria, steward on A, sees
// the request in her notifications and approves it; bea offers a contribution
// from B; maria requests changes; bea revises it on B; maria accepts revision 2.
// Each step is checked on the pages of both instances.
func TestBrowserTwoInstanceWalk(t *testing.T) {
	bea := &driver{t: t, ctx: newChromeFor(t, 6*time.Minute), shots: t.TempDir()}
	maria := bea.otherPerson()
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	mariaUser, err := a.App.Svc.Accounts.SignUp(ctx, service.Registration{Username: "maria", Email: "maria@example.org", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "garden", Name: "Community Garden",
		Licence: "CC-BY-SA-4.0", MembershipPolicy: models.PolicyApproval, OfferPolicy: models.PolicyMembers}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Svc.Accounts.SignUp(ctx, service.Registration{Username: "bea", Email: "bea@example.org", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	garden, beaHandle := a.URL+"/c/garden", "@bea@"+b.Host
	console := bea.console()

	// 1. Follow from your instance: A's form sends bea to B, where she follows.
	bea.step("bea asks A to follow from her instance",
		chromedp.Navigate(garden),
		chromedp.WaitVisible(chromedp.CSS(`#follow-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-handle`), beaHandle),
		chromedp.Click(`//section[@id="follow"]//button[normalize-space(.)="Follow"]`),
	)
	bea.waitLocation("A's form leads to B's login", b.URL+"/login")
	bea.step("bea logs in on B and follows",
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "bea"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#interact-title`)),
		chromedp.Click(`//main//form[@action="/authorize_interaction"]//button`),
		chromedp.WaitVisible(`//main//span[contains(@class, "badge")]`),
	)
	interact := b.URL + "/authorize_interaction?uri=" + url.QueryEscape(a.ActorURL("garden"))
	bea.reloadUntil("B: the community accepted the follow", `main`, "You follow @garden@"+a.Host)
	apptest.Eventually(t, "A: bea follows the community", func() bool {
		group, err := a.App.Store.ActorByURI(ctx, a.ActorURL("garden"))
		if err != nil {
			return false
		}
		onA, err := a.App.Store.ActorByURI(ctx, b.ActorURL("bea"))
		if err != nil {
			return false
		}
		fo, err := a.App.Svc.Social.FollowOf(ctx, onA, group)
		return err == nil && fo != nil && fo.State == models.FollowAccepted
	})

	// 2. Join from another server: A gives a message; B's /share writes it.
	bea.step("bea asks A to join",
		chromedp.Navigate(garden),
		chromedp.WaitVisible(chromedp.CSS(`#join-remote-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-member_handle`), beaHandle),
		chromedp.Click(`//section[@id="join-remote"]//button[contains(., "Ask to join")]`),
		chromedp.WaitVisible(chromedp.CSS(`#join-confirm`)),
	)
	message := bea.text(`#join-message`)
	if !strings.HasPrefix(message, "@garden@"+a.Host+" join-") {
		t.Fatalf("A's join message %q", message)
	}
	bea.step("bea writes it on B",
		chromedp.Click(`//div[@id="join-confirm"]//a[contains(., "Write it on your server")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-content`)),
	)
	bea.waitLocation("the link leads to B's share page", b.URL+"/share?")
	if got, err := chromedp.Run(bea.ctx, chromedp.Value(chromedp.CSS(`#f-content`))); err != nil || got != message {
		t.Fatalf("B's compose form holds %q (%v), want %q", got, err, message)
	}
	if got, err := chromedp.Run(bea.ctx, chromedp.Value(chromedp.CSS(`#f-visibility`))); err != nil || got != models.VisibilityDirect {
		t.Fatalf("visibility %q (%v), want direct", got, err)
	}
	bea.step("bea posts it",
		chromedp.Click(`//form[@action="/home"]//button[normalize-space(.)="Post"]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Your note was posted")]`),
	)
	if tl := bea.text(`ol.timeline`); !strings.Contains(tl, "join-") {
		t.Fatalf("B's timeline does not show bea's message: %q", tl)
	}

	// 3. maria, on A, is notified of the request and approves it.
	maria.login(a.URL, "maria", `//h2[contains(., "Welcome back, maria")]`)
	maria.reloadUntil("A: the join request is notified", `nav[aria-label="Main"]`, "unread")
	maria.step("maria opens the notification",
		chromedp.Click(chromedp.CSS(`#nav-notifications`)),
		chromedp.WaitVisible(`//ul[@class="notifications"]`),
	)
	if got := maria.text(`ul.notifications`); !strings.Contains(got, "bea asked to join Community Garden") {
		t.Fatalf("maria's notifications: %q", got)
	}
	maria.step("maria approves bea",
		chromedp.Click(`//ul[@class="notifications"]//a[contains(., "asked to join")]`),
		chromedp.WaitVisible(`//a[contains(., "Membership requests (1)")]`),
		chromedp.Click(`//a[contains(., "Membership requests (1)")]`),
		chromedp.WaitVisible(chromedp.CSS(`#requests`)),
		chromedp.Click(`//section[@id="requests"]//button[@value="approve"]`),
		chromedp.WaitVisible(`//div[@role="status"]`),
	)
	maria.shot("walk-approved")
	maria.step("maria sees bea among A's members",
		chromedp.Navigate(garden+"/members"),
		chromedp.WaitVisible(`//h1[contains(., "Community Garden")]`),
	)
	if got := maria.text(`main`); !strings.Contains(got, beaHandle) || strings.Contains(got, "Membership requests (") {
		t.Fatalf("A's member list: %q", got)
	}

	// 4. bea offers a contribution from B.
	bea.step("bea offers from B",
		chromedp.Navigate(interact),
		chromedp.WaitVisible(chromedp.CSS(`#interact-title`)),
		chromedp.Click(`//main//a[contains(., "Offer a contribution")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Planting calendar"),
		chromedp.SetValue(chromedp.CSS(`#f-body`), "Beans in May.\nLeeks in June."),
		chromedp.SendKeys(chromedp.CSS(`#f-licence`), "CC-BY-SA-4.0"),
		chromedp.Click(`//button[contains(., "Offer contribution")]`),
		chromedp.WaitVisible(chromedp.CSS(`#contribution-title`)),
	)
	bea.waitLocation("B shows the offer", b.URL+"/contributions/")
	if got := bea.text(`main`); !strings.Contains(got, "Open for review") || !strings.Contains(got, "another instance") {
		t.Fatalf("B's contribution page: %q", got)
	}
	maria.step("maria opens her notifications",
		chromedp.Navigate(a.URL+"/notifications"),
		chromedp.WaitVisible(`//ul[@class="notifications"]`),
	)
	maria.reloadUntil("A: the offer is notified", `ul.notifications`, "Planting calendar")
	maria.step("maria opens the offer",
		chromedp.Click(`//ul[@class="notifications"]//a[contains(., "Planting calendar")]`),
		chromedp.WaitVisible(chromedp.CSS(`#contribution-title`)),
	)
	if got := maria.text(`main`); !strings.Contains(got, "Open for review") || !strings.Contains(got, "Leeks in June.") {
		t.Fatalf("A's contribution page: %q", got)
	}

	// 5. maria requests changes; bea is told on B.
	maria.step("maria requests changes",
		chromedp.SendKeys(chromedp.CSS(`#f-body`), "Please add the sowing depth."),
		chromedp.Click(`//button[contains(., "Request changes")]`),
		chromedp.WaitVisible(`//span[contains(., "Changes requested")]`),
	)
	bea.step("bea opens her notifications on B",
		chromedp.Navigate(b.URL+"/notifications"),
		chromedp.WaitVisible(`//h1[contains(., "Notifications")]`),
	)
	bea.reloadUntil("B: the request for changes reaches bea", `main`, "mentioned you")
	bea.step("bea reads it on her timeline",
		chromedp.Navigate(b.URL+"/home"),
		chromedp.WaitVisible(`//ol[@class="timeline"]`),
	)
	if got := bea.text(`ol.timeline`); !strings.Contains(got, "Changes requested on") || !strings.Contains(got, "sowing depth") {
		t.Fatalf("B's timeline: %q", got)
	}

	// 6. bea revises on B; A shows revision 2.
	bea.step("bea revises on B",
		chromedp.Navigate(b.URL+"/contributions/"+contributionTitled(t, b, "Planting calendar")),
		chromedp.WaitVisible(`//a[contains(., "Revise")]`),
		chromedp.Click(`//a[contains(., "Revise")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-body`), "Beans in May, 3 cm deep.\nLeeks in June."),
		chromedp.Click(`//button[contains(., "Send revision")]`),
		chromedp.WaitVisible(chromedp.CSS(`#rev-2`)),
	)
	maria.reloadUntil("A: revision 2 arrives", `main`, "Revision 2")
	if diff := maria.text(`#rev-2 pre.diff`); !strings.Contains(diff, "+ Beans in May, 3 cm deep.") || !strings.Contains(diff, "- Beans in May.") {
		t.Fatalf("A's diff of revision 2: %q", diff)
	}

	// 7. maria accepts it; B learns it.
	maria.step("maria accepts revision 2",
		chromedp.Click(`//button[contains(., "Accept into the commons")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "accepted into the commons")]`),
	)
	maria.shot("walk-accepted")
	bea.step("bea looks at her offer on B", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#contribution-title`)))
	bea.reloadUntil("B: the acceptance arrives", `article.contribution`, "Accepted")
	bea.shot("walk-accepted-on-b")
	if v := console.cspViolations(); len(v) > 0 {
		t.Fatalf("CSP violations in bea's console: %q", v)
	}
}

// contributionTitled is the id, on inst, of the contribution titled title.
func contributionTitled(t *testing.T, inst *apptest.Instance, title string) string {
	t.Helper()
	var co models.Contribution
	if err := inst.App.Store.DB.Where("title = ?", title).First(&co).Error; err != nil {
		t.Fatalf("contribution %q on %s: %v", title, inst.Host, err)
	}
	return co.ID
}
