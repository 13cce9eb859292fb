package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
)

func TestTokenIssueUseRevoke(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "alice", "member")

	r := call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": "alice", "password": goodPassword, "name": "laptop"})
	expect(t, r, http.StatusCreated)
	var issued struct {
		Token, ID, Name string
		User            struct{ Username, Email string }
	}
	r.json(t, &issued)
	if !strings.HasPrefix(issued.Token, "cmd_") || issued.ID == "" || issued.Name != "laptop" || issued.User.Username != "alice" {
		t.Fatalf("issued %+v", issued)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("token response Cache-Control %q", r.Header.Get("Cache-Control"))
	}

	r = call(t, inst, "GET", "/api/v1/accounts/verify_credentials", issued.Token, nil)
	expect(t, r, http.StatusOK)
	var me struct{ Username, Email string }
	r.json(t, &me)
	if me.Username != "alice" || me.Email != "alice@example.org" {
		t.Fatalf("verify_credentials %s", r.Body)
	}

	r = call(t, inst, "GET", "/api/v1/auth/tokens", issued.Token, nil)
	expect(t, r, http.StatusOK)
	if strings.Contains(string(r.Body), issued.Token) || strings.Contains(string(r.Body), "hash") {
		t.Fatalf("token list leaks the secret: %s", r.Body)
	}
	var list []struct {
		ID, Name  string
		RevokedAt *string `json:"revoked_at"`
	}
	r.json(t, &list)
	if len(list) != 1 || list[0].ID != issued.ID || list[0].RevokedAt != nil {
		t.Fatalf("token list %s", r.Body)
	}

	// Someone else cannot revoke alice's token, nor learn that it exists.
	bob := userWithToken(t, inst, "bob", "member")
	expect(t, call(t, inst, "DELETE", "/api/v1/auth/tokens/"+issued.ID, bob, nil), http.StatusNotFound)

	expect(t, call(t, inst, "DELETE", "/api/v1/auth/tokens/"+issued.ID, issued.Token, nil), http.StatusNoContent)
	r = call(t, inst, "GET", "/api/v1/accounts/verify_credentials", issued.Token, nil)
	expect(t, r, http.StatusUnauthorized)
	if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
	}
	// The revoked token still shows in a fresh token's list, marked revoked.
	fresh := login(t, inst, "alice")
	call(t, inst, "GET", "/api/v1/auth/tokens", fresh, nil).json(t, &list)
	if len(list) != 2 || list[1].ID != issued.ID || list[1].RevokedAt == nil {
		t.Fatalf("after revoke: %+v", list)
	}
	expect(t, call(t, inst, "DELETE", "/api/v1/auth/tokens/"+issued.ID, fresh, nil), http.StatusNotFound)
}

func TestBearerAuthFailures(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "alice", "member")
	cases := []struct {
		name, header string
	}{
		{"missing", ""},
		{"unknown token", "Bearer cmd_nope"},
		{"empty bearer", "Bearer "},
		{"basic scheme", "Basic YWxpY2U6cGFzc3dvcmQ="},
		{"no scheme", "cmd_abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/accounts/verify_credentials", "/api/v1/auth/tokens", "/api/v1/admin/users"} {
				req, _ := http.NewRequest("GET", inst.URL+path, nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				r := send(t, inst, req)
				expect(t, r, http.StatusUnauthorized)
				if r.errorMessage(t) == "" {
					t.Fatal("empty error message")
				}
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("%s: WWW-Authenticate %q", path, r.Header.Get("WWW-Authenticate"))
				}
			}
		})
	}
}

func TestTokenCredentials(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "alice", "member")
	cases := []struct {
		name   string
		body   any
		status int
	}{
		{"wrong password", map[string]string{"username": "alice", "password": "not the password"}, http.StatusUnauthorized},
		{"unknown user", map[string]string{"username": "nobody", "password": goodPassword}, http.StatusUnauthorized},
		{"by email", map[string]string{"username": "alice@example.org", "password": goodPassword}, http.StatusCreated},
		{"missing password", map[string]string{"username": "alice"}, http.StatusUnprocessableEntity},
		{"unknown field", `{"username":"alice","password":"x","scope":"all"}`, http.StatusBadRequest},
		{"malformed", `{"username":"alice",`, http.StatusBadRequest},
		{"name too long", map[string]string{"username": "alice", "password": goodPassword, "name": strings.Repeat("n", 101)}, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, inst, "POST", "/api/v1/auth/token", "", tc.body)
			expect(t, r, tc.status)
			if tc.status >= 400 {
				r.errorMessage(t)
			}
		})
	}
}

func TestTokenRateLimit(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Security.LoginAttemptsPerMinute = 2 })
	createUser(t, inst, "alice", "member")
	bad := map[string]string{"username": "alice", "password": "wrong password!"}
	expect(t, call(t, inst, "POST", "/api/v1/auth/token", "", bad), http.StatusUnauthorized)
	expect(t, call(t, inst, "POST", "/api/v1/auth/token", "", bad), http.StatusUnauthorized)
	// Even the right password is refused now: the limit applies whatever the outcome.
	r := call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": "alice", "password": goodPassword})
	expect(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}
