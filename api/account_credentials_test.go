package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service/servicetest"
)

func TestAccountCredentialsAPI(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "bob", "member")
	tok := userWithToken(t, inst, "ada", "member")
	cases := []struct {
		name, path string
		body       any
		status     int
	}{
		{"wrong current password", "/api/v1/accounts/me/password", map[string]string{"current_password": "wrong one!", "new_password": "a fresh passphrase"}, 403},
		{"weak new password", "/api/v1/accounts/me/password", map[string]string{"current_password": goodPassword, "new_password": "short"}, 422},
		{"unknown field", "/api/v1/accounts/me/password", `{"current_password":"x","new_password":"y","admin":true}`, 400},
		{"email taken", "/api/v1/accounts/me/email", map[string]string{"password": goodPassword, "email": "bob@example.org"}, 409},
		{"email wrong password", "/api/v1/accounts/me/email", map[string]string{"password": "nope", "email": "a@b.example"}, 403},
		{"email ok", "/api/v1/accounts/me/email", map[string]string{"password": goodPassword, "email": "ada@elsewhere.example"}, 200},
		{"password ok", "/api/v1/accounts/me/password", map[string]string{"current_password": goodPassword, "new_password": "a fresh passphrase"}, 204},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", c.path, tok, c.body), c.status)
		})
	}
	expect(t, call(t, inst, "POST", "/api/v1/accounts/me/password", "", map[string]string{"current_password": "a", "new_password": "b"}), 401)
	expect(t, call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": "ada@elsewhere.example", "password": "a fresh passphrase"}), 201)

	// Reset: 503 without e-mail, then same 202 for known and unknown addresses.
	expect(t, call(t, inst, "POST", "/api/v1/auth/password_reset", "", map[string]string{"email": "ada@elsewhere.example"}), 503)
	mail := &servicetest.MailRecorder{}
	inst.App.Svc.SetMailer(mail)
	a := call(t, inst, "POST", "/api/v1/auth/password_reset", "", map[string]string{"email": "ada@elsewhere.example"})
	b := call(t, inst, "POST", "/api/v1/auth/password_reset", "", map[string]string{"email": "ghost@elsewhere.example"})
	expect(t, a, 202)
	expect(t, b, 202)
	if string(a.Body) != string(b.Body) || len(mail.Mails()) != 1 {
		t.Fatalf("answers differ or wrong mails: %s / %s, %d", a.Body, b.Body, len(mail.Mails()))
	}
	text := mail.Mails()[0].Text
	i := strings.Index(text, "/password/reset/")
	token := strings.Fields(text[i+len("/password/reset/"):])[0]
	expect(t, call(t, inst, "POST", "/api/v1/auth/password_reset/confirm", "", map[string]string{"token": token + "x", "password": "reset via the api"}), 404)
	expect(t, call(t, inst, "POST", "/api/v1/auth/password_reset/confirm", "", map[string]string{"token": token, "password": "reset via the api"}), 204)
	expect(t, call(t, inst, "POST", "/api/v1/auth/password_reset/confirm", "", map[string]string{"token": token, "password": "reset again please"}), 404)
	// The reset revoked every token.
	expect(t, call(t, inst, "GET", "/api/v1/accounts/verify_credentials", tok, nil), http.StatusUnauthorized)
	expect(t, call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": "ada", "password": "reset via the api"}), 201)
}

func TestExportAndDeleteAPI(t *testing.T) {
	inst := start(t)
	tok := userWithToken(t, inst, "ada", "member")
	createUser(t, inst, "bob", "member")
	expect(t, call(t, inst, "POST", "/api/v1/follows", tok, map[string]string{"target": "@bob@" + inst.Host}), 201)
	r := call(t, inst, "GET", "/api/v1/accounts/me/export", tok, nil)
	expect(t, r, 200)
	var e struct {
		Format    string
		Following []struct{ Handle string }
	}
	r.json(t, &e)
	if e.Format != "commonsd-export-1" || len(e.Following) != 1 || e.Following[0].Handle != "bob@"+inst.Host {
		t.Fatalf("export %s", r.Body)
	}
	r = call(t, inst, "GET", "/api/v1/accounts/me/export/follows.csv", tok, nil)
	expect(t, r, 200)
	if string(r.Body) != "Account address,Show boosts,Notify on new posts,Languages\nbob@"+inst.Host+",true,false,\n" {
		t.Fatalf("csv %q", r.Body)
	}
	expect(t, call(t, inst, "GET", "/api/v1/accounts/me/export", "", nil), 401)
	expect(t, call(t, inst, "POST", "/api/v1/accounts/me/delete", tok, map[string]string{"password": "wrong"}), 403)
	expect(t, call(t, inst, "POST", "/api/v1/accounts/me/delete", tok, map[string]string{"password": goodPassword}), 204)
	expect(t, call(t, inst, "GET", "/api/v1/accounts/verify_credentials", tok, nil), 401)
}
