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

// TestBrowserReviseContribution drives a real browser through the revise flow:
// bob's offer has changes requested; bob opens it, revises it on the form, and
// sees revision 2 with its diff under the maintainer's request; ada (the
// steward) then accepts it.
func TestBrowserReviseContribution(t *testing.T) {
	d := newDriver(t)
	step, text, shot := d.step, d.text, d.shot
	inst := apptest.Start(t)
	ctx := context.Background()
	var users []*models.User
	for _, name := range []string{"ada", "bob"} {
		u, err := inst.App.Svc.Accounts.SignUp(ctx, service.Registration{Username: name, Email: name + "@example.org", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	group, _, err := inst.App.Svc.Communities.Create(ctx, users[0], service.CommunityInput{Handle: "seeds", Name: "Seed Library",
		Licence: "PPL", OfferPolicy: models.PolicyOpen})
	if err != nil {
		t.Fatal(err)
	}
	ada, bob := actor(t, inst, "ada"), actor(t, inst, "bob")
	co, err := inst.App.Svc.Communities.Offer(ctx, bob, group, service.ContributionInput{Title: "Tomato catalogue",
		Body: "Forty varieties.\nSown in March.", Kind: "knowledge"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Communities.Comment(ctx, ada, co.ID, "Please give the sowing month per variety.", true); err != nil {
		t.Fatal(err)
	}
	page := inst.URL + "/contributions/" + co.ID
	login := func(name string) {
		step("log in as "+name,
			chromedp.Navigate(inst.URL+"/login?next=/contributions/"+co.ID),
			chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
			chromedp.SendKeys(chromedp.CSS(`#f-login`), name),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
			chromedp.Submit(chromedp.CSS(`#f-password`)),
			chromedp.WaitVisible(chromedp.CSS(`#contribution-title`)),
		)
	}
	login("bob")
	step("open the revise form",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//span[contains(., "Changes requested")]`),
		chromedp.Click(`//a[contains(., "Revise")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
	)
	step("send revision 2",
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Tomato catalogue, by month"),
		chromedp.SetValue(chromedp.CSS(`#f-body`), "Forty varieties.\nSown from February to April."),
		chromedp.SendKeys(chromedp.CSS(`#f-links`), "https://seeds.example/months"),
		chromedp.Click(`//button[contains(., "Send revision")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Your revision was saved")]`),
		chromedp.WaitVisible(chromedp.CSS(`#rev-2`)),
	)
	shot("contribution-revised")
	if got := text(`#contribution-title`); got != "Tomato catalogue, by month" {
		t.Fatalf("title %q", got)
	}
	diff := text(`#rev-2 pre.diff`)
	if !strings.Contains(diff, "- Sown in March.") || !strings.Contains(diff, "+ Sown from February to April.") ||
		!strings.Contains(diff, "  Forty varieties.") || strings.Contains(diff, "- Forty varieties.") {
		t.Fatalf("diff of revision 2: %q", diff)
	}
	review := text(`#review`)
	req, r2 := strings.Index(review, "sowing month per variety"), strings.Index(review, "Revision 2")
	if req < 0 || r2 < req || !strings.Contains(review, "Link added: https://seeds.example/months") {
		t.Fatalf("review timeline: %q", review)
	}
	step("log out", chromedp.Click(`//nav//button[contains(., "Log out")]`), chromedp.WaitVisible(`//a[contains(., "Log in")]`))
	login("ada")
	step("accept revision 2",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//span[contains(., "Open for review")]`),
		chromedp.Click(`//button[contains(., "Accept into the commons")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "accepted into the commons")]`),
	)
	step("narrow screen", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#rev-2`)))
	shot("contribution-revised-mobile")
	got, _ := inst.App.Store.ContributionByID(ctx, co.ID)
	if got.State != models.ContributionAccepted || got.Revision != 2 {
		t.Fatalf("after acceptance: %s, revision %d", got.State, got.Revision)
	}
}
