package frontend_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestBrowserAppeal drives a real browser: a visitor signs up, opens an appeal
// from the directory, pledges with the form and sees the pledge; once the
// foundation records the receipt, the progress bar and line show it.
func TestBrowserAppeal(t *testing.T) {
	d := newDriver(t)
	step, text, shot := d.step, d.text, d.shot
	inst, _ := startWithAdmin(t)
	ctx := context.Background()
	ada := user(t, inst, "ada")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, ada, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	appeal, err := inst.App.Svc.Economy.OpenAppeal(ctx, ada, service.AppealInput{As: "fund", Title: "Servers for the seed library",
		Purpose: "Two years of hosting.", Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	step("sign up",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "bob"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "bob@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, bob")]`),
	)
	step("open the appeal from the directory",
		chromedp.Navigate(inst.URL+"/appeals"),
		chromedp.WaitVisible(`//h1[contains(., "Funding appeals")]`),
		chromedp.Click(chromedp.CSS(`a[href="/appeals/`+appeal.ID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pl-amount`)),
	)
	if got := text(`.progress-line`); got != "€0 of €100 raised (0 %)" {
		t.Fatalf("progress before: %q", got)
	}
	step("pledge",
		chromedp.SendKeys(chromedp.CSS(`#pl-amount`), "30"),
		chromedp.SendKeys(chromedp.CSS(`#pl-message`), "for the seeds"),
		chromedp.Click(`//button[contains(., "Pledge")]`),
		chromedp.WaitVisible(`//p[@role="status"][contains(., "your pledge is recorded")]`),
		chromedp.WaitVisible(`//ul[@class="pledges"]/li[contains(., "€30")][contains(., "for the seeds")]`),
	)
	shot("appeal-pledged")
	if _, err := inst.App.Svc.Economy.RecordReceipt(ctx, ada, service.ReceiptInput{Ledger: "fund", AppealID: appeal.ID,
		Amount: "30", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	step("see the progress", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`progress[value="30"]`)))
	if got := text(`.progress-line`); got != "€30 of €100 raised (30 %)" {
		t.Fatalf("progress after the receipt: %q", got)
	}
	shot("appeal-progress")
}
