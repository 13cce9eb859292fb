package frontend_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// phoneWidth is the viewport of the phone walk (an iPhone SE / small Android).
const phoneWidth = 375

// phonePage is one page of the phone walk: path, with {placeholders} filled from
// the fixture (see phoneFixture), opened anonymously (as "") or as a user. To
// add a page, add a row; TestBrowserPhoneWidth fails while a GET page of
// package frontend is neither walked nor in phoneSkipped.
type phonePage struct{ path, as string }

var phonePages = []phonePage{
	{"/", ""}, {"/", "ada"},
	{"/about", ""},
	{"/login", ""}, {"/signup", ""},
	{"/communities", ""}, {"/communities", "ada"}, {"/communities/new", "ada"},
	{"/c/seeds", ""}, {"/c/seeds", "ada"}, {"/c/seeds", "bob"},
	{"/c/seeds/commons", ""}, {"/c/seeds/contributions", "ada"}, {"/c/seeds/discussions", ""}, {"/c/seeds/discussions", "ada"},
	{"/c/seeds/members", ""}, {"/c/seeds/members", "ada"}, {"/c/seeds/charter", ""},
	{"/c/seeds/offer", "ada"}, {"/c/seeds/post", "ada"},
	{"/c/seeds/posts/{post}", ""}, {"/c/seeds/posts/{post}", "ada"},
	{"/c/seeds/ledger", ""}, {"/c/seeds/ledger", "ada"},
	{"/c/seeds/proposals", "ada"}, {"/c/seeds/proposals/{proposal}", "ada"}, {"/c/seeds/proposals/{proposal}", ""},
	{"/contributions/{contribution}", ""}, {"/contributions/{contribution}", "ada"},
	{"/@ada", ""}, {"/@ada", "ada"}, {"/@bob", "ada"},
	{"/users/ada", ""},
	{"/tags/commons", ""}, {"/tags/commons", "ada"},
	{"/home", "ada"}, {"/home", "bob"}, {"/share?text=%40seeds%20join-0123456789abcdefghjkmnpqrs", "bob"},
	{"/notes/{note}/edit", "ada"},
	{"/follow", "ada"}, {"/follow_requests", "ada"},
	{"/authorize_interaction?uri={ada_uri}", "bob"},
	{"/settings/profile", "ada"}, {"/settings/tokens", "ada"},
	{"/admin", "ada"}, {"/admin/deliveries", "ada"}, {"/admin/domains", "ada"}, {"/admin/reports", "ada"},
	{"/admin/reports/{report}", "ada"}, {"/admin/instance", "ada"},
	{"/notifications", "ada"}, {"/settings/notifications", "ada"}, {"/settings/account", "ada"}, {"/settings/delete", "ada"},
	{"/search?q=seed", ""}, {"/search?q=seed", "ada"}, {"/about/rules", ""},
	{"/password/forgot", ""}, {"/password/reset/{reset}", ""},
	{"/report?note={note}", "bob"},
	{"/c/seeds/settings", "ada"}, {"/c/seeds/charter/history", ""},
	{"/c/seeds/governance", "ada"}, {"/c/seeds/governance/log", ""},
	{"/contributions/{contribution}/revise", "ada"},
	{"/appeals", ""}, {"/appeals/new", "ada"}, {"/organizations/new", "ada"},
	{"/c/seeds/partners", ""}, {"/c/seeds/partners", "ada"}, {"/c/seeds/partners/{partnership}", "ada"},
	{"/announcements/new", "ada"}, {"/announcements/{announcement}", ""}, {"/announcements/{announcement}", "ada"},
	{"/c/seeds/announcements", ""}, {"/c/seeds/announcements", "ada"}, {"/@fund", ""}, {"/@fund", "ada"},
	{"/appeals/{appeal}/edit", "ada"}, {"/c/seeds/disbursement", "ada"}, {"/c/seeds/disbursement?amount=100&currency=EUR", "ada"},
}

// phoneSkipped are GET routes of package frontend that are not HTML pages.
var phoneSkipped = map[string]string{
	"/static/*":                  "stylesheets",
	"/media/:id":                 "uploaded files",
	"/settings":                  "redirect to /settings/profile",
	"/c/:name/feed.rss":          "feed",
	"/c/:name/feed.atom":         "feed",
	"/c/:name/ledger.csv":        "CSV",
	"/proposals/:id":             "redirect to the proposal page",
	"/settings/following.csv":    "CSV",
	"/settings/export.json":      "JSON",
	"/appeals/feed.rss":          "feed",
	"/appeals/feed.atom":         "feed",
	"/c/:name/proposals.rss":     "feed",
	"/c/:name/proposals.atom":    "feed",
	"/@:name/announcements.rss":  "feed",
	"/@:name/announcements.atom": "feed",
	"/notifications/unsubscribe": "reached only with a signed token from an e-mail (TestNotificationPages covers it)",
}

// bigPNG is a real image wider than any phone (a banner whose width is not set
// by the stylesheet widens the page to its own).
func bigPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// phoneFixture fills an instance with one of everything the pages show, made
// wide on purpose: banners and avatars larger than a phone, long words and
// URLs, a Markdown table.
func phoneFixture(t *testing.T, inst *apptest.Instance, ada, bob *browser) map[string]string {
	ctx := context.Background()
	wide := "A table: \n\n| Variety | Days to germinate | Where it grows best | Notes from the seed keepers |\n|---|---:|---|---|\n" +
		"| Brandywine | 7 | Everywhere with a long summer | Save the seeds from the best fruit of the plant |\n\n" +
		"https://seeds.example/a/very/long/path/that/does/not/break/anywhere/on/its/own/because/it/has/no/spaces/at/all " +
		"Pneumonoultramicroscopicsilicovolcanoconiosis #commons"
	form := communityForm("seeds", "PPL")
	form.Set("charter", wide)
	form.Set("summary", "We keep seeds. "+strings.Repeat("Seedkeeping", 8))
	want(t, ada.post("/communities/new", "/communities", form), http.StatusSeeOther)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	banner, icon := bigPNG(t, 1600, 400), bigPNG(t, 600, 300)
	for _, up := range []struct{ path, field string }{{"/c/seeds/images/banner", "image"}, {"/c/seeds/images/icon", "image"},
		{"/settings/banner", "banner"}, {"/settings/avatar", "avatar"}} {
		data := banner
		if strings.HasSuffix(up.path, "icon") || strings.HasSuffix(up.path, "avatar") {
			data = icon
		}
		want(t, ada.upload(up.path, up.field, "i.png", "image/png", data), http.StatusSeeOther)
	}
	want(t, ada.post("/settings/profile", "/settings/profile", url.Values{"display_name": {"Ada " + strings.Repeat("Lovelace", 6)},
		"bio":        {"Keeper of seeds. https://seeds.example/" + strings.Repeat("x", 80)},
		"field_name": {"Website"}, "field_value": {"https://seeds.example/" + strings.Repeat("y", 80)}}), http.StatusSeeOther)
	if bobA := actor(t, inst, "bob"); true {
		if _, err := inst.App.Svc.Social.Follow(ctx, bobA, actor(t, inst, "ada"), ""); err != nil {
			t.Fatal(err)
		}
	}
	adaA := actor(t, inst, "ada")
	n, err := inst.App.Svc.Social.PostNote(ctx, adaA, service.NoteInput{Content: wide})
	if err != nil {
		t.Fatal(err)
	}
	post, err := inst.App.Svc.Social.PostNote(ctx, adaA, service.NoteInput{Content: wide, Community: "seeds"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Social.PostNote(ctx, actor(t, inst, "bob"), service.NoteInput{Content: "Thanks! " + wide, InReplyTo: post.URI, Community: "seeds"}); err != nil {
		t.Fatal(err)
	}
	co, err := inst.App.Svc.Communities.Offer(ctx, adaA, actor(t, inst, "seeds"), service.ContributionInput{Title: "Tomato " + strings.Repeat("catalogue", 8),
		Body: wide, Kind: "knowledge", Licence: "PPL", Links: []string{"https://seeds.example/" + strings.Repeat("z", 90)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := ada.post("/c/seeds/proposals", "/c/seeds/proposals", url.Values{"title": {"Buy a seed drill " + strings.Repeat("now", 20)},
		"motion": {wide}, "kind": {"motion"}, "method": {"majority"}, "days": {"3"}})
	want(t, p, http.StatusSeeOther)
	want(t, bob.post("/report?note="+n.ID, "/report", url.Values{"note": {n.ID}, "comment": {"spam " + wide}}), http.StatusCreated)
	adaU := user(t, inst, "ada")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, adaU, service.OrganizationInput{Handle: "fund",
		Name: "Seed Fund " + strings.Repeat("Foundation", 6), Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	ps, err := inst.App.Svc.Economy.RequestPartnership(ctx, adaU, service.PartnershipInput{As: "fund", Community: "seeds",
		Pledge: "We fund the hosting " + wide, Terms: "10 hours a month"})
	if err != nil {
		t.Fatal(err)
	}
	ann, err := inst.App.Svc.Economy.PublishAnnouncement(ctx, adaU, service.AnnouncementInput{As: "fund", Kind: models.AnnouncementBounty,
		Title: "Catalogue " + strings.Repeat("everything", 10), Body: wide, ForWhom: strings.Repeat("seedkeepers", 10),
		Price: "100", Currency: "EUR", Link: "https://seeds.example/" + strings.Repeat("w", 90), Communities: []string{"seeds"}})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := inst.App.Svc.Economy.OpenAppeal(ctx, adaU, service.AppealInput{As: "fund", Title: "Servers " + strings.Repeat("and backups ", 8),
		Purpose: wide, Goal: "1000", Currency: "EUR", EndsAt: time.Now().Add(30 * 24 * time.Hour),
		Tiers: []service.AppealTierInput{{Name: "Friend " + strings.Repeat("of the seeds", 5), Amount: "10", Monthly: true}}})
	if err != nil {
		t.Fatal(err)
	}
	reset, err := inst.App.Svc.Accounts.ResetLink(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	reports, err := inst.App.Store.ListReports(ctx, 1, 0)
	if err != nil || len(reports) != 1 {
		t.Fatalf("report: %v %v", reports, err)
	}
	return map[string]string{"{post}": post.ID, "{note}": n.ID, "{contribution}": co.ID, "{report}": reports[0].ID,
		"{reset}": reset[strings.LastIndex(reset, "/")+1:], "{partnership}": ps.ID, "{announcement}": ann.ID, "{appeal}": ap.ID,
		"{proposal}": strings.TrimPrefix(p.Location, "/c/seeds/proposals/"), "{ada_uri}": url.QueryEscape(adaA.URI)}
}

// TestBrowserPhoneWidth opens every page of the web UI in a 375 px wide
// browser, anonymously and logged in, with content made wide on purpose, and
// fails when a page is wider than the viewport (naming the elements that stick
// out) or when the console reports a Content-Security-Policy violation (an
// inline style= or script the pages' policy blocks).
func TestBrowserPhoneWidth(t *testing.T) {
	inst, ada := startWithAdmin(t)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	fill := phoneFixture(t, inst, ada, bob)

	// Every HTML page the frontend serves is walked (or skipped for a reason).
	walked := map[string]bool{}
	for _, p := range phonePages {
		walked[strings.SplitN(p.path, "?", 2)[0]] = true
	}
	for _, r := range inst.App.Echo.Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Name, pkgFrontend) {
			continue
		}
		if _, ok := phoneSkipped[r.Path]; ok {
			continue
		}
		covered := false
		for path := range walked {
			if routeMatches(r.Path, path) {
				covered = true
			}
		}
		if !covered {
			t.Errorf("GET %s is not in phonePages (nor in phoneSkipped with a reason)", r.Path)
		}
	}

	d := newDriver(t)
	console := d.console()
	d.step("phone viewport", chromedp.EmulateViewport(phoneWidth, 800, chromedp.EmulateScale(1)))
	login := func(name string) {
		d.step("log in as "+name,
			chromedp.Navigate(inst.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
			chromedp.SendKeys(chromedp.CSS(`#f-login`), name),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
			chromedp.Submit(chromedp.CSS(`#f-password`)),
			chromedp.WaitVisible(`//h2[contains(., "Welcome back")]`),
		)
	}
	logout := func() {
		d.step("log out", chromedp.Click(`//nav//button[contains(., "Log out")]`), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/login"]`)))
	}
	// Walk anonymous pages first, then each user's, logging in once each.
	pages := append([]phonePage(nil), phonePages...)
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].as < pages[j].as })
	as := ""
	seen := 0
	for _, p := range pages {
		if p.as != as {
			if as != "" {
				logout()
			}
			login(p.as)
			as = p.as
		}
		path := p.path
		for k, v := range fill {
			path = strings.ReplaceAll(path, k, v)
		}
		name := path + " as " + or(p.as, "visitor")
		resp, err := chromedp.RunResponse(d.ctx, chromedp.Navigate(inst.URL+path))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if resp.Status != http.StatusOK {
			t.Errorf("%s: status %d", name, resp.Status)
		}
		// Wait for the images (the banners) to be laid out. Right after a
		// navigation the tab may still name the old page's JavaScript context
		// ("Cannot find context"): ask again then.
		for try := 0; ; try++ {
			_, err := chromedp.Run(d.ctx, chromedp.Poll[bool](`document.readyState === "complete" && [...document.images].every(i => i.complete)`))
			if err == nil {
				break
			}
			if try == 5 || !strings.Contains(err.Error(), "Cannot find context") {
				t.Fatalf("%s: %v", name, err)
			}
		}
		wide, err := chromedp.Run(d.ctx, chromedp.Evaluate[[]string](`(() => {
			const vw = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth <= vw) return [];
			const out = [document.documentElement.scrollWidth + "px wide"];
			const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
			for (const e of document.querySelectorAll("body *")) {
				if (out.length >= 8 || scrolls(e)) continue;
				const r = e.getBoundingClientRect();
				const ov = getComputedStyle(e).overflowX === "visible" && r.left + e.scrollWidth > vw + 1;
				if (r.right > vw + 1 || ov) out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") + " right=" + Math.round(Math.max(r.right, r.left + e.scrollWidth)));
			}
			return out;
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if os.Getenv("COMMONSD_TEST_SCREENSHOTS") != "" {
			d.shot("phone" + strings.NewReplacer("/", "_", "?", "_", "{", "", "}", "").Replace(p.path) + "-" + or(p.as, "visitor"))
		}
		if len(wide) > 0 {
			t.Errorf("%s is wider than the %d px viewport: %v", name, phoneWidth, wide)
			d.shot(fmt.Sprintf("phone-wide-%d", seen))
		}
		if v := console.cspViolations(); len(v) > seen {
			t.Errorf("%s: CSP violations: %q", name, v[seen:])
			seen = len(v)
		}
	}
	if v := console.cspViolations(); len(v) > seen {
		t.Errorf("CSP violations: %q", v[seen:])
	}
}

// routeMatches reports whether a concrete path (with {placeholders}) is an
// instance of an echo route pattern.
func routeMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], ":") || ps[i] == "*" {
			continue
		}
		if strings.HasPrefix(ps[i], "@:") && strings.HasPrefix(xs[i], "@") {
			continue
		}
		if ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
