package frontend_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestBrowserChangePassword: a user changes their password on the account
// settings page, is told so, and logs in with the new one (the old one fails).
func TestBrowserChangePassword(t *testing.T) {
	d := newDriver(t)
	step, text := d.step, d.text
	log := d.console()
	inst := apptest.Start(t)
	const next = "a brand new passphrase"
	step("sign up",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ada@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	step("wrong current password",
		chromedp.Navigate(inst.URL+"/settings/account"),
		chromedp.WaitVisible(chromedp.CSS(`#f-current_password`)),
		chromedp.SendKeys(chromedp.CSS(`#f-current_password`), "not my password"),
		chromedp.SendKeys(chromedp.CSS(`#f-new_password`), next),
		chromedp.SendKeys(chromedp.CSS(`#f-confirm_password`), next),
		chromedp.Click(`//button[normalize-space(.)="Change password"]`),
		chromedp.WaitVisible(`//p[@id="f-current_password-error"][contains(., "current password is wrong")]`),
	)
	step("change password",
		chromedp.SendKeys(chromedp.CSS(`#f-current_password`), goodPassword),
		chromedp.SendKeys(chromedp.CSS(`#f-new_password`), next),
		chromedp.SendKeys(chromedp.CSS(`#f-confirm_password`), next),
		chromedp.Click(`//button[normalize-space(.)="Change password"]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Password changed")]`),
	)
	d.shot("password-changed")
	step("log out, old password refused, new one works",
		chromedp.Click(`//nav//button[contains(., "Log out")]`),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/login"]`)),
		chromedp.Navigate(inst.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//div[@role="alert"][contains(., "invalid username or password")]`),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), next),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	if v := log.cspViolations(); len(v) > 0 {
		t.Fatalf("CSP violations: %v", v)
	}
	_ = text
}

// TestBrowserReportAndResolve: a member reports a post from the search
// results; a moderator opens the report, chooses to remove the post, confirms
// on the confirmation page, and the post is gone.
func TestBrowserReportAndResolve(t *testing.T) {
	d := newDriver(t)
	step := d.step
	log := d.console()
	inst := apptest.Start(t)
	ctx := context.Background()
	for _, u := range []service.Registration{
		{Username: "mod", Email: "mod@example.org", Password: goodPassword, Role: models.RoleModerator},
		{Username: "ann", Email: "ann@example.org", Password: goodPassword},
		{Username: "bob", Email: "bob@example.org", Password: goodPassword},
	} {
		if _, err := inst.App.Svc.Accounts.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	n, err := inst.App.Svc.Social.PostNote(ctx, actor(t, inst, "bob"), service.NoteInput{Content: "cheap pills here", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	login := func(name string) {
		step("log in as "+name,
			chromedp.Navigate(inst.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
			chromedp.SendKeys(chromedp.CSS(`#f-login`), name),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
			chromedp.Submit(chromedp.CSS(`#f-password`)),
			chromedp.WaitVisible(chromedp.CSS(`nav button.link`)),
		)
	}
	login("ann")
	step("find the post and report it",
		chromedp.Navigate(inst.URL+"/search?q=pills&type=notes"),
		chromedp.WaitVisible(`//article[contains(., "cheap pills here")]`),
		chromedp.Click(`//article[contains(., "cheap pills here")]//a[contains(@class, "report")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-comment`)),
		chromedp.SendKeys(chromedp.CSS(`#f-comment`), "This is spam."),
		chromedp.Click(`//button[normalize-space(.)="Send report"]`),
		chromedp.WaitVisible(`//h1[contains(., "Thank you")]`),
		chromedp.Click(`//nav//button[contains(., "Log out")]`),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/login"]`)),
	)
	login("mod")
	step("open the report",
		chromedp.Navigate(inst.URL+"/admin/reports"),
		chromedp.Click(`//a[contains(., "Review and resolve")]`),
		chromedp.WaitVisible(`//blockquote[contains(., "This is spam.")]`),
	)
	step("choose to remove the post",
		chromedp.Click(chromedp.CSS(`#action-remove_content`)),
		chromedp.SendKeys(chromedp.CSS(`#f-note`), "Advertising is not allowed here."),
		chromedp.Click(`//button[contains(., "Resolve")]`),
		chromedp.WaitVisible(`//h1[contains(., "Resolve this report?")]`),
	)
	d.shot("report-confirm")
	if got, _ := inst.App.Store.NoteByID(ctx, n.ID); got.DeletedAt != nil {
		t.Fatal("the post was removed before the confirmation")
	}
	step("confirm",
		chromedp.Click(`//button[contains(., "Yes, remove the reported posts")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Report resolved.")]`),
	)
	page := d.text(`main`)
	if !strings.Contains(page, "Remove the reported posts by @mod") || !strings.Contains(page, "Advertising is not allowed here.") {
		t.Fatalf("resolution not shown: %q", page)
	}
	if got, _ := inst.App.Store.NoteByID(ctx, n.ID); got.DeletedAt == nil {
		t.Fatal("the post was not removed")
	}
	if v := log.cspViolations(); len(v) > 0 {
		t.Fatalf("CSP violations: %v", v)
	}
}
