package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// notifyAda makes bob follow ada and mention her twice: three notifications.
func notifyAda(t *testing.T, inst *apptest.Instance) {
	t.Helper()
	ctx := context.Background()
	svc := inst.App.Svc
	for _, n := range []string{"ada", "bob"} {
		if user(t, inst, n) == nil {
			if _, err := svc.Accounts.Create(ctx, service.Registration{Username: n, Email: n + "@example.org", Password: goodPassword, Role: "member"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ada, bob := actor(t, inst, "ada"), actor(t, inst, "bob")
	if _, err := svc.Social.Follow(ctx, bob, ada, ""); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"hello @ada", "seeds for @ada"} {
		if _, err := svc.Social.PostNote(ctx, bob, service.NoteInput{Content: s}); err != nil {
			t.Fatal(err)
		}
	}
}

var unreadRE = regexp.MustCompile(`id="unread-count">(\d+)<`)

func unreadInNav(p page) string {
	if m := unreadRE.FindStringSubmatch(p.Body); m != nil {
		return m[1]
	}
	return ""
}

// TestNotificationPages: the count in every page's navigation, the list, mark
// read, mark all read, the e-mail settings, and the unsubscribe page (no login).
func TestNotificationPages(t *testing.T) {
	inst, _ := startWithAdmin(t) // "ada" is the first account
	notifyAda(t, inst)
	b := newBrowser(t, inst)
	want(t, b.login("ada", goodPassword), http.StatusSeeOther)
	for _, path := range []string{"/", "/home", "/communities", "/settings/profile", "/follow"} {
		if got := unreadInNav(b.get(path)); got != "3" {
			t.Fatalf("%s shows unread %q, want 3", path, got)
		}
	}
	p := b.get("/notifications")
	want(t, p, http.StatusOK, "bob mentioned you", "bob followed you", "Mark all as read")
	id := regexp.MustCompile(`action="/notifications/([0-9a-z]+)/read"`).FindStringSubmatch(p.Body)
	if id == nil {
		t.Fatal("no Mark read form")
	}
	p = b.post("/notifications", "/notifications/"+id[1]+"/read", url.Values{})
	want(t, p, http.StatusSeeOther)
	p = b.get(p.Location)
	want(t, p, http.StatusOK, "Marked as read.")
	if got := unreadInNav(p); got != "2" {
		t.Fatalf("unread %q after one read, want 2", got)
	}
	if p := b.get("/notifications?unread=1"); strings.Count(p.Body, `class="notification unread"`) != 2 {
		t.Fatalf("unread filter:\n%s", p.Body)
	}
	p = b.post("/notifications", "/notifications/read_all", url.Values{})
	want(t, p, http.StatusSeeOther)
	p = b.get(p.Location)
	want(t, p, http.StatusOK, "All notifications marked as read.")
	if got := unreadInNav(p); got != "" {
		t.Fatalf("unread %q after all read", got)
	}
	// Someone else's notification cannot be marked.
	other := newBrowser(t, inst)
	want(t, other.login("bob", goodPassword), http.StatusSeeOther)
	want(t, other.post("/notifications", "/notifications/"+id[1]+"/read", url.Values{}), http.StatusNotFound)
	want(t, other.post("/notifications", "/notifications/"+id[1]+"/read", url.Values{"csrf": {"forged"}}), http.StatusForbidden)

	// E-mail settings.
	want(t, b.get("/settings/notifications"), http.StatusOK, "does not send e-mail", `value="mention"`, "daily digest")
	p = b.post("/settings/notifications", "/settings/notifications", url.Values{"email": {"mention", "follow"}, "digest": {"1"}})
	want(t, p, http.StatusSeeOther)
	p = b.get(p.Location)
	want(t, p, http.StatusOK, "were saved", `id="email-mention" name="email" value="mention" checked`, `id="digest" name="digest" value="1" checked`)
	want(t, b.post("/settings/notifications", "/settings/notifications", url.Values{"email": {"nope"}}), http.StatusUnprocessableEntity, "unknown kind")

	// The unsubscribe link, opened logged out: one button.
	ada := actor(t, inst, "ada")
	link := inst.App.Svc.Notifications.UnsubscribeURL(ada.ID, models.NotifyMention)
	anon := newBrowser(t, inst)
	p = anon.get(strings.TrimPrefix(link, inst.URL))
	want(t, p, http.StatusSeeOther)
	page := strings.TrimPrefix(p.Location, inst.URL)
	want(t, anon.get(page), http.StatusOK, "Stop e-mail about <strong>Mentions</strong>")
	token := strings.TrimPrefix(page, "/notifications/unsubscribe?token=")
	tok, _ := url.QueryUnescape(token)
	want(t, anon.post(page, "/notifications/unsubscribe", url.Values{"token": {tok}}), http.StatusOK, "no more e-mail about Mentions")
	want(t, anon.get("/notifications/unsubscribe?token=bad."+tok[strings.Index(tok, ".")+1:]), http.StatusNotFound)
	s, err := inst.App.Svc.Notifications.Settings(context.Background(), ada)
	if err != nil || len(s.EmailKinds) != 1 || s.EmailKinds[0] != models.NotifyFollow {
		t.Fatalf("after unsubscribing: %+v %v", s, err)
	}
}

// TestBrowserNotifications: in a real browser the navigation shows the unread
// count; reading one notification and then all of them brings it down to none.
func TestBrowserNotifications(t *testing.T) {
	d := newDriver(t)
	step, text := d.step, d.text
	inst := apptest.Start(t)
	notifyAda(t, inst)
	step("log in",
		chromedp.Navigate(inst.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	if n := text(`#unread-count`); n != "3" {
		t.Fatalf("unread count in the navigation %q, want 3", n)
	}
	step("open the notifications",
		chromedp.Click(chromedp.CSS(`#nav-notifications`)),
		chromedp.WaitVisible(`//h1[contains(., "Notifications")]`),
	)
	d.shot("notifications")
	if list := text(`ul.notifications`); !strings.Contains(list, "bob mentioned you") || !strings.Contains(list, "bob followed you") {
		t.Fatalf("list: %q", list)
	}
	step("mark one read",
		chromedp.Click(`(//ul[@class="notifications"]//button[contains(., "Mark read")])[1]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Marked as read")]`),
	)
	if n := text(`#unread-count`); n != "2" {
		t.Fatalf("unread count %q after one read, want 2", n)
	}
	step("mark all read",
		chromedp.Click(`//button[contains(., "Mark all as read")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "All notifications marked as read")]`),
	)
	count, err := chromedp.Run(d.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#unread-count").length`))
	if err != nil {
		t.Fatal(err)
	}
	if count != 0 || strings.Contains(text(`nav[aria-label="Main"]`), "unread") {
		t.Fatal("the navigation still shows unread notifications")
	}
}

// TestBrowserRemoteJoinRequestNotification: carl, on another instance, asks to
// join maria's community (membership by approval); maria sees the count in her
// navigation, the notification naming carl's handle, and follows it to the
// community's page.
func TestBrowserRemoteJoinRequestNotification(t *testing.T) {
	d := newDriver(t)
	a, c := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	maria, err := a.App.Svc.Accounts.Create(ctx, service.Registration{Username: "maria", Email: "maria@example.org", Password: goodPassword, Role: "member"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.App.Svc.Communities.Create(ctx, maria, service.CommunityInput{Handle: "garden", Name: "Community Garden",
		Licence: "CC-BY-SA-4.0", MembershipPolicy: models.PolicyApproval}); err != nil {
		t.Fatal(err)
	}
	carl, err := c.App.Svc.Accounts.Create(ctx, service.Registration{Username: "carl", Email: "carl@example.org", Password: goodPassword, Role: "member"})
	if err != nil {
		t.Fatal(err)
	}
	carlActor, err := c.App.Svc.Accounts.ActorOf(ctx, carl)
	if err != nil {
		t.Fatal(err)
	}
	group, _, err := c.App.Svc.Communities.Resolve(ctx, "@garden@"+a.Host)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.App.Svc.Communities.Join(ctx, carlActor, group, ""); err != nil {
		t.Fatal(err)
	}
	mariaActor := actor(t, a, "maria")
	apptest.Eventually(t, "the Join reaches the community's instance", func() bool {
		n, err := a.App.Svc.Notifications.UnreadCount(ctx, mariaActor)
		return err == nil && n == 1
	})
	d.step("maria logs in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "maria"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, maria")]`),
	)
	if n := d.text(`#unread-count`); n != "1" {
		t.Fatalf("unread count %q, want 1", n)
	}
	d.step("open the notifications",
		chromedp.Click(chromedp.CSS(`#nav-notifications`)),
		chromedp.WaitVisible(`//ul[@class="notifications"]`),
	)
	d.shot("join-request-notification")
	if got := d.text(`ul.notifications`); !strings.Contains(got, "carl asked to join Community Garden") {
		t.Fatalf("notification %q", got)
	}
	d.step("follow it to the community",
		chromedp.Click(`//ul[@class="notifications"]//a[contains(., "asked to join")]`),
		chromedp.WaitVisible(`//h1[contains(., "Community Garden")]`),
	)
	if page := d.text(`main`); !strings.Contains(page, "carl") || !strings.Contains(page, "Membership requests") {
		t.Fatalf("the community page does not show carl's request: %q", page)
	}
}
