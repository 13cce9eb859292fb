package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestSignUp(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "admin1", "admin") // so sign-ups below are ordinary members
	signup := func(username, email, password string) map[string]string {
		return map[string]string{"username": username, "email": email, "password": password}
	}
	cases := []struct {
		name   string
		body   any
		status int
		msg    string // substring of the error message
	}{
		{"ok", signup("carol", "carol@example.org", goodPassword), http.StatusCreated, ""},
		{"duplicate username", signup("Carol", "other@example.org", goodPassword), http.StatusConflict, "taken"},
		{"duplicate email", signup("carol2", "CAROL@example.org", goodPassword), http.StatusConflict, "already registered"},
		{"weak password", signup("dave", "dave@example.org", "short"), http.StatusUnprocessableEntity, "at least 10"},
		{"missing password", map[string]string{"username": "dave", "email": "dave@example.org"}, http.StatusUnprocessableEntity, "password is required"},
		{"bad handle", signup("no spaces", "x@example.org", goodPassword), http.StatusUnprocessableEntity, "a username is 1 to 30 characters from a–z, 0–9 and _"},
		{"lone underscore", signup("_", "x@example.org", goodPassword), http.StatusUnprocessableEntity, "at least one letter or digit"},
		{"every problem at once", signup("_", "nope", "short"), http.StatusUnprocessableEntity, "a username needs at least one letter or digit; email address is not valid; password must be at least 10 characters"},
		{"reserved handle", signup("admin", "x@example.org", goodPassword), http.StatusUnprocessableEntity, "reserved"},
		{"bad email", signup("dave", "dave", goodPassword), http.StatusUnprocessableEntity, "email"},
		{"unknown field", `{"username":"dave","email":"dave@example.org","password":"correct horse battery","role":"admin"}`, http.StatusBadRequest, `unknown field "role"`},
		{"malformed JSON", `{"username": "dave",}`, http.StatusBadRequest, "malformed JSON at byte"},
		{"wrong type", `{"username": 42}`, http.StatusBadRequest, `field "username" must be a string`},
		{"not an object", `["dave"]`, http.StatusBadRequest, "must be a JSON object"},
		{"empty body", ``, http.StatusBadRequest, "empty"},
		{"two objects", `{} {}`, http.StatusBadRequest, "single JSON object"},
		{"too large", `{"reason":"` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, inst, "POST", "/api/v1/accounts", "", tc.body)
			expect(t, r, tc.status)
			if tc.status >= 400 {
				if m := r.errorMessage(t); !strings.Contains(m, tc.msg) {
					t.Fatalf("error %q does not mention %q", m, tc.msg)
				}
				return
			}
			var u struct {
				Username, Role string
				Approved       bool
				Account        struct{ URI string }
			}
			r.json(t, &u)
			if u.Username != "carol" || u.Role != "member" || !u.Approved || u.Account.URI != inst.ActorURL("carol") {
				t.Fatalf("created %s", r.Body)
			}
		})
	}

	t.Run("form content type", func(t *testing.T) {
		req, _ := http.NewRequest("POST", inst.URL+"/api/v1/accounts", strings.NewReader("username=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		expect(t, send(t, inst, req), http.StatusUnsupportedMediaType)
	})
}

func TestSignUpRegistrationModes(t *testing.T) {
	inst := start(t)
	admin := userWithToken(t, inst, "admin1", "admin")
	setMode := func(mode string) {
		t.Helper()
		expect(t, call(t, inst, "PUT", "/api/v1/admin/registration", admin, map[string]string{"mode": mode}), http.StatusOK)
	}

	setMode("closed")
	r := call(t, inst, "POST", "/api/v1/accounts", "", map[string]string{"username": "erin", "email": "erin@example.org", "password": goodPassword})
	expect(t, r, http.StatusForbidden)

	setMode("approval")
	r = call(t, inst, "POST", "/api/v1/accounts", "", map[string]string{"username": "erin", "email": "erin@example.org", "password": goodPassword})
	expect(t, r, http.StatusUnprocessableEntity) // approval mode wants a reason
	r = call(t, inst, "POST", "/api/v1/accounts", "", map[string]string{"username": "erin", "email": "erin@example.org", "password": goodPassword, "reason": "I garden."})
	expect(t, r, http.StatusCreated)
	var u struct{ Approved bool }
	r.json(t, &u)
	if u.Approved {
		t.Fatal("approval-mode account approved at once")
	}
	creds := map[string]string{"username": "erin", "password": goodPassword}
	r = call(t, inst, "POST", "/api/v1/auth/token", "", creds)
	expect(t, r, http.StatusForbidden)
	if m := r.errorMessage(t); !strings.Contains(m, "approval") {
		t.Fatalf("message %q", m)
	}

	expect(t, call(t, inst, "PATCH", "/api/v1/admin/users/erin", admin, map[string]bool{"approved": true}), http.StatusOK)
	expect(t, call(t, inst, "POST", "/api/v1/auth/token", "", creds), http.StatusCreated)
}

func TestProfileAndPublicView(t *testing.T) {
	inst := start(t)
	tok := userWithToken(t, inst, "alice", "member")

	r := call(t, inst, "PATCH", "/api/v1/accounts/me", tok, map[string]any{
		"display_name":   "Alice <b>A.</b>",
		"bio":            "Gardener.\n\nLikes <script>alert(1)</script> compost.",
		"fields":         []map[string]string{{"name": "Pronouns", "value": "she/her"}},
		"hide_followers": true,
	})
	expect(t, r, http.StatusOK)
	var own struct {
		Account struct {
			DisplayName string `json:"display_name"`
		}
		Source struct {
			Bio           string
			HideFollowers bool `json:"hide_followers"`
		}
	}
	r.json(t, &own)
	if own.Account.DisplayName != "Alice <b>A.</b>" || !strings.HasPrefix(own.Source.Bio, "Gardener.") || !own.Source.HideFollowers {
		t.Fatalf("patched %s", r.Body)
	}

	// A partial patch keeps what it does not mention.
	expect(t, call(t, inst, "PATCH", "/api/v1/accounts/me", tok, map[string]any{"discoverable": false}), http.StatusOK)

	r = call(t, inst, "GET", "/api/v1/accounts/alice", "", nil)
	expect(t, r, http.StatusOK)
	var pub map[string]any
	r.json(t, &pub)
	for _, k := range []string{"id", "uri", "username", "acct", "display_name", "note", "avatar", "url", "fields", "type", "created_at"} {
		if _, ok := pub[k]; !ok {
			t.Errorf("public view lacks %q", k)
		}
	}
	body := strings.ToLower(string(r.Body))
	for _, secret := range []string{"email", "example.org", "private", "password", "hash", "source"} {
		if strings.Contains(body, secret) {
			t.Errorf("public view contains %q: %s", secret, r.Body)
		}
	}
	note, _ := pub["note"].(string)
	if pub["display_name"] != "Alice <b>A.</b>" || !strings.Contains(note, "<p>Gardener.</p>") || strings.Contains(note, "<script") {
		t.Fatalf("public view %s", r.Body)
	}
	if pub["uri"] != inst.ActorURL("alice") || pub["type"] != "Person" || pub["discoverable"] != false {
		t.Fatalf("public view %s", r.Body)
	}
	if f, _ := pub["fields"].([]any); len(f) != 1 {
		t.Fatalf("fields %v", pub["fields"])
	}

	cases := []struct {
		name   string
		body   any
		status int
	}{
		{"display name too long", map[string]string{"display_name": strings.Repeat("x", 101)}, http.StatusUnprocessableEntity},
		{"bidi override in display name", map[string]string{"display_name": "Alice \u202egnp.exe"}, http.StatusUnprocessableEntity},
		{"bidi isolate in display name", map[string]string{"display_name": "Alice \u2066x\u2069"}, http.StatusUnprocessableEntity},
		{"too many fields", map[string]any{"fields": make([]map[string]string, 9)}, http.StatusUnprocessableEntity},
		{"unknown field", map[string]string{"note": "html"}, http.StatusBadRequest},
		{"wrong type", `{"discoverable":"yes"}`, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "PATCH", "/api/v1/accounts/me", tok, tc.body), tc.status)
		})
	}
	expect(t, call(t, inst, "GET", "/api/v1/accounts/nobody", "", nil), http.StatusNotFound)
	expect(t, call(t, inst, "PATCH", "/api/v1/accounts/me", "", map[string]string{}), http.StatusUnauthorized)

	// Suspended actors disappear from the public API.
	if _, err := inst.App.Svc.Accounts.Moderate(context.Background(), nil, "alice", suspend(true)); err != nil {
		t.Fatal(err)
	}
	expect(t, call(t, inst, "GET", "/api/v1/accounts/alice", "", nil), http.StatusNotFound)
	expect(t, call(t, inst, "GET", "/api/v1/accounts/verify_credentials", tok, nil), http.StatusForbidden)
}

func TestInstance(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "alice", "member")
	r := call(t, inst, "GET", "/api/v1/instance", "", nil)
	expect(t, r, http.StatusOK)
	var out struct {
		Domain, Name, Version string
		RegistrationMode      string `json:"registration_mode"`
		Stats                 struct{ Users int64 }
		Contact               map[string]string
	}
	r.json(t, &out)
	if out.Domain != inst.Host || out.Name != inst.Cfg.Instance.Name || out.Version == "" || out.RegistrationMode != "open" || out.Stats.Users != 1 {
		t.Fatalf("instance %s", r.Body)
	}
	if _, ok := out.Contact["email"]; !ok {
		t.Fatalf("no contact email in %s", r.Body)
	}
}
