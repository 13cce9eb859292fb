package frontend_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
)

// TestBrowserCommunity drives a real browser through a community's life: the
// founder creates it from the directory, offers a contribution as its steward,
// accepts it on the contribution page and finds it in the commons.
func TestBrowserCommunity(t *testing.T) {
	d := newDriver(t)
	step, text, shot := d.step, d.text, d.shot
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
	step("create a community",
		chromedp.Click(chromedp.CSS(`nav a[href="/communities"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Communities")]`),
		chromedp.Click(chromedp.CSS(`a[href="/communities/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-handle`)),
		chromedp.SendKeys(chromedp.CSS(`#f-handle`), "seeds"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Seed Library"),
		chromedp.SendKeys(chromedp.CSS(`#f-summary`), "We keep and share open-pollinated seeds."),
		chromedp.SetValue(chromedp.CSS(`#f-licence`), "PPL"),
		chromedp.SendKeys(chromedp.CSS(`#f-charter`), "Anyone may borrow seeds; return twice as many."),
		chromedp.SendKeys(chromedp.CSS(`#link-name-0`), "Catalogue"),
		chromedp.SendKeys(chromedp.CSS(`#link-url-0`), "https://seeds.example/catalogue"),
		chromedp.Click(`//button[contains(., "Create community")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Community created")]`),
	)
	step("offer a contribution",
		chromedp.Click(chromedp.CSS(`.profile a[href="/c/seeds/offer"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Tomato seed catalogue"),
		chromedp.SendKeys(chromedp.CSS(`#f-body`), "Forty heirloom varieties, with photos."),
		chromedp.SetValue(chromedp.CSS(`#f-kind`), "knowledge"),
		chromedp.SendKeys(chromedp.CSS(`#f-links`), "https://seeds.example/tomatoes"),
		chromedp.Click(`//button[contains(., "Offer contribution")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "was offered")]`),
	)
	shot("contribution-open")
	step("accept it",
		chromedp.Click(`//button[contains(., "Accept into the commons")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "accepted into the commons")]`),
	)
	if got := text(`#contribution-title`); got != "Tomato seed catalogue" {
		t.Fatalf("title %q", got)
	}
	step("see it in the commons",
		chromedp.Click(chromedp.CSS(`.crumbs a[href="/c/seeds"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#commons-title`)),
	)
	shot("community")
	commons := text(`#commons`)
	for _, s := range []string{"Tomato seed catalogue", "ada", "Peer Production License", "knowledge"} {
		if !strings.Contains(commons, s) {
			t.Fatalf("commons lacks %q: %q", s, commons)
		}
	}
	step("search the commons",
		chromedp.SendKeys(chromedp.CSS(`#commons-q`), "tomato"),
		chromedp.Submit(chromedp.CSS(`#commons-q`)),
		// The result is on the page before the search too: wait for the search's
		// own page (its field rendered with the query), or the reload below races
		// its navigation (ERR_ABORTED).
		chromedp.WaitVisible(`//input[@id="commons-q"][@value="tomato"]`),
		chromedp.WaitVisible(`//section[@id="commons"]//a[contains(., "Tomato seed catalogue")]`),
	)
	step("narrow screen", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#commons-title`)))
	shot("community-mobile")
	t.Logf("screenshots in %s", d.shots)
}
