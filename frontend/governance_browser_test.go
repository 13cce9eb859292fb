package frontend_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestBrowserProposal drives a real browser: open a proposal with the form,
// vote, change the vote, and after the close (run by the instance's job
// queue) see the outcome on the page.
func TestBrowserProposal(t *testing.T) {
	d := newDriver(t)
	step, text := d.step, d.text
	inst := apptest.Start(t)
	step("sign up",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ada@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	ctx := context.Background()
	if _, _, err := inst.App.Svc.Communities.Create(ctx, user(t, inst, "ada"), service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	step("open a proposal",
		chromedp.Navigate(inst.URL+"/c/seeds/proposals"),
		chromedp.WaitVisible(chromedp.CSS(`#p-title`)),
		chromedp.SendKeys(chromedp.CSS(`#p-title`), "Plant an orchard"),
		chromedp.SendKeys(chromedp.CSS(`#p-motion`), "Apples *and* pears."),
		chromedp.SetValue(chromedp.CSS(`#p-days`), "2"),
		chromedp.Submit(chromedp.CSS(`#p-title`)),
		chromedp.WaitVisible(`//h1[contains(., "Plant an orchard")]`),
	)
	if !strings.Contains(text(`main`), "Majority: passes if Yes outnumbers No") {
		t.Fatalf("the rules are not shown: %q", text(`main`))
	}
	step("vote No",
		chromedp.Click(chromedp.CSS(`input[name="option"][value="No"]`)),
		chromedp.Submit(chromedp.CSS(`input[name="option"][value="No"]`)),
		chromedp.WaitVisible(`//p[contains(., "Your vote:")]/strong[. = "No"]`),
	)
	step("change the vote to Yes",
		chromedp.Click(chromedp.CSS(`input[name="option"][value="Yes"]`)),
		chromedp.Submit(chromedp.CSS(`input[name="option"][value="Yes"]`)),
		chromedp.WaitVisible(`//p[contains(., "Your vote:")]/strong[. = "Yes"]`),
	)
	url, err := chromedp.Run(d.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := url[strings.LastIndex(url, "/")+1:]
	if i := strings.Index(id, "?"); i >= 0 {
		id = id[:i]
	}
	// Time is up: the close job runs on the instance's queue.
	if err := inst.App.Store.DB.Model(&models.Proposal{}).Where("id = ?", id).Update("closes_at", time.Now().Add(-time.Second)).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Governance.Close(ctx, id); err != nil {
		t.Fatal(err)
	}
	step("see the outcome",
		chromedp.Navigate(inst.URL+"/c/seeds/proposals/"+id),
		chromedp.WaitVisible(`//h2[. = "Outcome"]`),
	)
	if main := text(`main`); !strings.Contains(main, "Passed. Yes 1, No 0, Abstain 0; 1 of 1 eligible voters voted.") || strings.Contains(main, "Your choice") {
		t.Fatalf("outcome page: %q", main)
	}
}
