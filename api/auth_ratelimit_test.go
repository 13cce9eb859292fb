package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
)

// TestTokenStrangerCannotLockOutOwner: 100 failed token requests for alice from
// one address leave her able to get a token from another; the stranger's
// address is refused (429) even with her password.
func TestTokenStrangerCannotLockOutOwner(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Server.TrustProxy = true })
	frozen := time.Now()
	inst.App.Svc.Accounts.SetRateClock(func() time.Time { return frozen }) // no refill, however slow the machine
	createUser(t, inst, "alice", "member")
	tokenFrom := func(addr, password string) response {
		req, _ := http.NewRequest(http.MethodPost, inst.URL+"/api/v1/auth/token",
			strings.NewReader(fmt.Sprintf(`{"username":"alice","password":%q}`, password)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", addr)
		return send(t, inst, req)
	}
	limited := 0
	for i := 0; i < 100; i++ {
		switch r := tokenFrom("203.0.113.66", fmt.Sprintf("guess number %d", i)); r.Status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
		}
	}
	if limited < 100-inst.Cfg.Security.LoginAttemptsPerMinute {
		t.Fatalf("only %d of 100 attempts were limited", limited)
	}
	for _, tc := range []struct {
		addr   string
		status int
	}{
		{"203.0.113.66", http.StatusTooManyRequests},
		{"198.51.100.7", http.StatusCreated},
	} {
		if r := tokenFrom(tc.addr, goodPassword); r.Status != tc.status {
			t.Fatalf("from %s: %d %s, want %d", tc.addr, r.Status, r.Body, tc.status)
		}
	}
}
