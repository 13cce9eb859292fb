package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service/servicetest"
)

func TestAccountPasswordAndEmail(t *testing.T) {
	inst, b := startWithAdmin(t)
	ctx := context.Background()
	second := newBrowser(t, inst)
	second.login("ada", goodPassword)
	if !second.loggedIn() {
		t.Fatal("second session not logged in")
	}
	want(t, b.get("/settings/account"), http.StatusOK, "Change password", "ada@example.org")
	const next = "a new and longer passphrase"
	cases := []struct {
		name   string
		vals   url.Values
		status int
		says   string
	}{
		{"bad csrf", url.Values{"csrf": {"forged"}, "current_password": {goodPassword}, "new_password": {next}, "confirm_password": {next}}, 403, "form token"},
		{"mismatch", url.Values{"current_password": {goodPassword}, "new_password": {next}, "confirm_password": {next + "x"}}, 422, "differ"},
		{"wrong current", url.Values{"current_password": {"not it at all"}, "new_password": {next}, "confirm_password": {next}}, 403, "current password is wrong"},
		{"weak", url.Values{"current_password": {goodPassword}, "new_password": {"short"}, "confirm_password": {"short"}}, 422, "at least 10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want(t, b.post("/settings/account", "/settings/password", c.vals), c.status, c.says)
		})
	}
	p := b.post("/settings/account", "/settings/password", url.Values{"current_password": {goodPassword}, "new_password": {next}, "confirm_password": {next}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", p.Status, p.Body)
	}
	want(t, b.get(p.Location), http.StatusOK, "Password changed")
	if second.loggedIn() {
		t.Fatal("the other session survived the password change")
	}
	if second.login("ada", goodPassword).Status == http.StatusSeeOther {
		t.Fatal("old password still logs in")
	}

	want(t, b.post("/settings/account", "/settings/email", url.Values{"email": {"ada@new.example"}, "email_password": {goodPassword}}), 403, "current password is wrong")
	want(t, b.post("/settings/account", "/settings/email", url.Values{"email": {"nope"}, "email_password": {next}}), 422, "not valid")
	p = b.post("/settings/account", "/settings/email", url.Values{"email": {"ada@new.example"}, "email_password": {next}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("email: %d %s", p.Status, p.Body)
	}
	if u := user(t, inst, "ada"); u.Email != "ada@new.example" {
		t.Fatalf("email %q", u.Email)
	}
	_ = ctx
}

func TestForgotPassword(t *testing.T) {
	inst, b := startWithAdmin(t)
	anon := newBrowser(t, inst)
	want(t, anon.get("/login"), http.StatusOK, `href="/password/forgot"`)
	// No SMTP: the page says to ask an administrator, and a POST is refused.
	want(t, anon.get("/password/forgot"), http.StatusOK, "reset-password")
	want(t, anon.post("/login", "/password/forgot", url.Values{"email": {"ada@example.org"}}), 503, "cannot send e-mail")

	mail := &servicetest.MailRecorder{}
	inst.App.Svc.SetMailer(mail)
	want(t, anon.post("/password/forgot", "/password/forgot", url.Values{"email": {"ada@example.org"}, "csrf": {"forged"}}), 403)
	known := anon.post("/password/forgot", "/password/forgot", url.Values{"email": {"ada@example.org"}})
	unknown := anon.post("/password/forgot", "/password/forgot", url.Values{"email": {"ghost@example.org"}})
	want(t, known, http.StatusOK, "If an account uses that address")
	want(t, unknown, http.StatusOK, "If an account uses that address")
	strip := func(s string) string { return csrfRE.ReplaceAllString(s, "") }
	if strip(known.Body) != strip(unknown.Body) {
		t.Fatal("the answer tells a known address from an unknown one")
	}
	sent := mail.Mails()
	if len(sent) != 1 {
		t.Fatalf("%d mails", len(sent))
	}
	i := strings.Index(sent[0].Text, inst.URL+"/password/reset/")
	if i < 0 {
		t.Fatalf("no link in %q", sent[0].Text)
	}
	path := strings.Fields(sent[0].Text[i+len(inst.URL):])[0]

	want(t, anon.get("/password/reset/bogus"), http.StatusNotFound, "invalid, used or expired")
	form := anon.get(path)
	want(t, form, http.StatusOK, "Choose a new password")
	if form.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatal("the reset page may leak its token in Referer")
	}
	want(t, anon.post(path, path, url.Values{"new_password": {"short"}, "confirm_password": {"short"}}), 422, "at least 10")
	p := anon.post(path, path, url.Values{"new_password": {"reset passphrase ok"}, "confirm_password": {"reset passphrase ok"}})
	if p.Status != http.StatusSeeOther || !anon.loggedIn() {
		t.Fatalf("reset: %d %s", p.Status, p.Body)
	}
	if b.loggedIn() {
		t.Fatal("a session survived the reset")
	}
	want(t, newBrowser(t, inst).post("/login", path, url.Values{"new_password": {"third passphrase"}, "confirm_password": {"third passphrase"}}), 404, "invalid, used or expired")
	if newBrowser(t, inst).login("ada", "reset passphrase ok").Status != http.StatusSeeOther {
		t.Fatal("new password does not log in")
	}
}

func TestExportAndDeleteAccount(t *testing.T) {
	inst, b := startWithAdmin(t)
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	if b.post("/follow", "/follow", url.Values{"handle": {"@bob@" + inst.Host}}).Status != http.StatusSeeOther {
		t.Fatal("follow failed")
	}
	want(t, b.get("/settings/account"), http.StatusOK, `href="/settings/export.json"`, `href="/settings/delete"`)
	exp := b.get("/settings/export.json")
	want(t, exp, http.StatusOK, `"format": "commonsd-export-1"`, `"handle": "bob@`+inst.Host+`"`)
	if !strings.Contains(exp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatal("export is not a download")
	}
	csv := b.get("/settings/following.csv")
	want(t, csv, http.StatusOK, "Account address,Show boosts,Notify on new posts,Languages\nbob@"+inst.Host+",true,false,\n")
	if anon := newBrowser(t, inst).get("/settings/export.json"); anon.Status != http.StatusSeeOther {
		t.Fatalf("anonymous export: %d", anon.Status)
	}

	want(t, b.get("/settings/delete"), http.StatusOK, "cannot be undone")
	want(t, b.post("/settings/delete", "/settings/delete", url.Values{"password": {goodPassword}, "csrf": {"forged"}}), 403)
	want(t, b.post("/settings/delete", "/settings/delete", url.Values{"password": {"not my password"}}), 403, "password is wrong")
	if user(t, inst, "ada").Suspended {
		t.Fatal("refused deletion took effect")
	}
	want(t, b.post("/settings/delete", "/settings/delete", url.Values{"password": {goodPassword}}), http.StatusOK, "has been deleted")
	if b.loggedIn() {
		t.Fatal("still logged in after deletion")
	}
	want(t, newBrowser(t, inst).get("/@ada"), http.StatusGone)
	if newBrowser(t, inst).login("ada", goodPassword).Status == http.StatusSeeOther {
		t.Fatal("deleted account logs in")
	}
}
