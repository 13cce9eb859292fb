package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/commonsd/commonsd/app/apptest"
)

// consoleLog collects what the tab writes to its console (console API calls,
// exceptions and browser log entries such as CSP violations) from now on.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

func (d *driver) console() *consoleLog {
	l := &consoleLog{}
	msgs := chromedp.Console(d.ctx) // subscribes now; the goroutine ends with the test's context
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, m)
			l.mu.Unlock()
		}
	}()
	return l
}

// cspViolations are the messages in which the browser refused something under the
// page's Content-Security-Policy.
func (l *consoleLog) cspViolations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.msgs {
		if strings.Contains(m.Text, "Content Security Policy") {
			out = append(out, m.String())
		}
	}
	return out
}

// TestBrowserRemoteFollow: a visitor with an account on instance B opens a
// community on instance A, types their handle into "Follow from your instance"
// and submits; the browser must end up on B (its login, then its
// authorize_interaction page for A's community), follow from there, and the
// console must show no CSP violation (a 303 to another origin after a form POST is
// blocked silently by form-action 'self').
func TestBrowserRemoteFollow(t *testing.T) {
	d := newDriver(t)
	step, text := d.step, d.text
	a, ada := startWithAdmin(t)
	b := apptest.Start(t)
	want(t, newBrowser(t, b).signup("bea", nil), http.StatusSeeOther)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	console := d.console()

	step("submit the handle on A",
		chromedp.Navigate(a.URL+"/c/seeds"),
		chromedp.WaitVisible(chromedp.CSS(`#follow-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-handle`), "@bea@"+b.Host),
		chromedp.Click(`//section[@id="follow"]//button[normalize-space(.)="Follow"]`),
	)
	// Wait until the browser is on B, or fail as soon as it reports a CSP violation
	// (a blocked form redirect leaves the page where it is, with only that message).
	for {
		if v := console.cspViolations(); len(v) > 0 {
			t.Fatalf("CSP violations in the console: %q", v)
		}
		loc, err := chromedp.Run(d.ctx, chromedp.Location())
		if err != nil {
			t.Fatalf("after the form: %v", err)
		}
		if strings.HasPrefix(loc, b.URL+"/login") {
			break
		}
		select {
		case <-d.ctx.Done():
			t.Fatalf("after the form: still at %q, want B's login", loc)
		case <-time.After(100 * time.Millisecond):
		}
	}
	step("log in on B",
		chromedp.SendKeys(chromedp.CSS(`#f-login`), "bea"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), goodPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#interact-title`)),
	)
	loc, err := chromedp.Run(d.ctx, chromedp.Location())
	if wantLoc := b.URL + "/authorize_interaction?uri=" + url.QueryEscape(a.ActorURL("seeds")); err != nil || loc != wantLoc {
		t.Fatalf("landed on %q (%v), want %q", loc, err, wantLoc)
	}
	if got := text(`main`); !strings.Contains(got, "@seeds@"+a.Host) {
		t.Fatalf("B's authorize_interaction page does not show A's community: %q", got)
	}
	step("follow from B",
		chromedp.Click(`//main//form[@action="/authorize_interaction"]//button`),
		chromedp.WaitVisible(`//main//span[contains(@class, "badge")][contains(., "Following") or contains(., "Pending")]`),
	)
	if v := console.cspViolations(); len(v) > 0 {
		t.Fatalf("CSP violations in the console: %q", v)
	}
}
