package frontend_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
)

// fromAddress makes every request of a browser come from addr (the instance
// trusts X-Forwarded-For in these tests, as behind a reverse proxy).
type fromAddress struct{ addr string }

func (f fromAddress) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return http.DefaultTransport.RoundTrip(r)
}

func browserAt(t *testing.T, inst *apptest.Instance, addr string) *browser {
	b := newBrowser(t, inst)
	b.c.Transport = fromAddress{addr}
	return b
}

// TestLoginStrangerCannotLockOutOwner: a stranger's 100 failed logins to the
// owner's account (from one address, then one each from 20 others) do not stop
// the owner logging in with the right password from a clean address; the
// stranger's own address stays refused even with the right password.
func TestLoginStrangerCannotLockOutOwner(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Server.TrustProxy = true })
	frozen := time.Now()
	inst.App.Svc.Accounts.SetRateClock(func() time.Time { return frozen }) // no refill, however slow the machine
	if p := browserAt(t, inst, "198.51.100.1").signup("owner", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", p.Status)
	}
	stranger := browserAt(t, inst, "203.0.113.66")
	limited := 0
	for i := 0; i < 100; i++ {
		p := stranger.login("owner", fmt.Sprintf("guess number %d", i))
		switch p.Status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("attempt %d: %d", i, p.Status)
		}
	}
	if limited < 100-inst.Cfg.Security.LoginAttemptsPerMinute {
		t.Fatalf("only %d of 100 attempts were limited", limited)
	}
	for i := 0; i < 20; i++ {
		want(t, browserAt(t, inst, fmt.Sprintf("192.0.2.%d", i+1)).login("owner@example.org", "another guess!"), http.StatusUnauthorized)
	}
	for _, tc := range []struct {
		name, addr, login string
		status            int
	}{
		{"stranger's address, right password", "203.0.113.66", "owner", http.StatusTooManyRequests},
		{"owner from a clean address", "198.51.100.7", "owner", http.StatusSeeOther},
		{"owner by email from another clean address", "198.51.100.8", "owner@example.org", http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := browserAt(t, inst, tc.addr)
			want(t, b.login(tc.login, goodPassword), tc.status)
			if b.loggedIn() != (tc.status == http.StatusSeeOther) {
				t.Fatal("session state wrong")
			}
		})
	}
}
