package frontend_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
)

// chromiumPath finds Debian's Chromium; without it the browser test is skipped,
// except on CI, where a missing browser is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("COMMONSD_TEST_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not installed (required on CI)")
	}
	t.Skip("chromium not installed")
	return ""
}

// newChrome starts a headless Chromium with a fresh profile for one test.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	return newChromeFor(t, 90*time.Second)
}

// newChromeFor is newChrome for a test that may run as long as limit (a walk
// through two instances takes more steps than one page's test).
func newChromeFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// driver wraps a headless Chromium tab for the browser tests: steps that fail the
// test with their name, text of an element, screenshots (kept in
// $COMMONSD_TEST_SCREENSHOTS when set).
type driver struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

func newDriver(t *testing.T) *driver {
	d := &driver{t: t, ctx: newChrome(t), shots: os.Getenv("COMMONSD_TEST_SCREENSHOTS")}
	if d.shots == "" {
		d.shots = t.TempDir()
	}
	return d
}

func (d *driver) step(name string, steps ...chromedp.Action[chromedp.Void]) {
	d.t.Helper()
	if err := chromedp.Do(d.ctx, steps...); err != nil {
		d.t.Fatalf("%s: %v", name, err)
	}
}

func (d *driver) text(sel string) string {
	d.t.Helper()
	s, err := chromedp.Run(d.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		d.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (d *driver) shot(name string) {
	d.t.Helper()
	png, err := chromedp.Run(d.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		d.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(d.shots, name+".png"), png, 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// TestBrowserJourney drives a real browser through the pages: sign up as the first
// user, log out, log in, post a note from /home and see it in the timeline, edit
// the profile, see it on the profile page, log out.
func TestBrowserJourney(t *testing.T) {
	d := newDriver(t)
	step, text, shot := d.step, d.text, d.shot
	inst := apptest.Start(t)
	step("sign up",
		chromedp.Navigate(inst.URL+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/signup"].button`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "ada@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	nav := text(`nav[aria-label="Main"]`)
	if !strings.Contains(nav, "Admin") {
		t.Fatalf("first user is not shown the admin link: %q", nav)
	}
	step("log out",
		chromedp.Click(`//nav//button[contains(., "Log out")]`),
		chromedp.WaitVisible(`//h2[contains(., "Join in")]`),
	)
	shot("home")
	home := text(`main`)
	if !strings.Contains(home, "Members") || !strings.Contains(home, "1") {
		t.Fatalf("home page: %q", home)
	}
	step("log in",
		chromedp.Click(chromedp.CSS(`nav a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-login`)),
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "wrong password"),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//div[@role="alert"][contains(., "invalid username or password")]`),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(`//h2[contains(., "Welcome back, ada")]`),
	)
	step("post a note from /home",
		chromedp.Click(chromedp.CSS(`nav a[href="/home"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-content`)),
		chromedp.SendKeys(chromedp.CSS(`#f-content`), "Seed swap on **Saturday** #commons"),
		chromedp.SetValue(chromedp.CSS(`#f-visibility`), "unlisted"),
		chromedp.Click(`//button[normalize-space(.)="Post"]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Your note was posted")]`),
		chromedp.WaitVisible(`//ol[@class="timeline"]//article//strong[contains(., "Saturday")]`),
	)
	shot("timeline")
	if tl := text(`ol.timeline`); !strings.Contains(tl, "Seed swap on Saturday") || !strings.Contains(tl, "@ada@"+inst.Host) {
		t.Fatalf("timeline: %q", tl)
	}
	step("edit profile",
		chromedp.Click(chromedp.CSS(`nav a[href="/settings/profile"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-display_name`)),
		chromedp.Clear(chromedp.CSS(`#f-display_name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-display_name`), "Ada Lovelace"),
		chromedp.SendKeys(chromedp.CSS(`#f-bio`), "Keeper of the seed library."),
		chromedp.SendKeys(chromedp.CSS(`#field-name-0`), "Garden"),
		chromedp.SendKeys(chromedp.CSS(`#field-value-0`), "Plot 12"),
		chromedp.Click(`//button[contains(., "Save profile")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Profile saved")]`),
	)
	step("see profile",
		chromedp.Click(chromedp.CSS(`nav a[href="/@ada"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#profile-name`)),
	)
	shot("profile")
	profile := text(`main`)
	for _, s := range []string{"Ada Lovelace", "@ada@" + inst.Host, "Keeper of the seed library.", "Plot 12"} {
		if !strings.Contains(profile, s) {
			t.Fatalf("profile page lacks %q: %q", s, profile)
		}
	}
	step("log out again",
		chromedp.Click(`//nav//button[contains(., "Log out")]`),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/login"]`)),
	)
	t.Logf("screenshots in %s", d.shots)
}
