package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	i := strings.LastIndex(link, "/password/reset/")
	if i < 0 {
		t.Fatalf("no reset link in %q", link)
	}
	tok := link[i+len("/password/reset/"):]
	if j := strings.IndexAny(tok, " \n"); j >= 0 {
		tok = tok[:j]
	}
	return tok
}

func TestChangePasswordAndEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		u, err := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.Accounts.Create(ctx, service.Registration{Username: "bob", Email: "bob@example.org", Password: "correct horse battery"})
		_ = other
		keep, ks, _ := s.Accounts.NewSession(ctx, u, "this one")
		gone, _, _ := s.Accounts.NewSession(ctx, u, "another")
		cases := []struct {
			name, current, next string
			status              int
		}{
			{"wrong current password", "not my password", "a new long password", 403},
			{"too short", "correct horse battery", "short", 422},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := servicetest.Status(s.Accounts.ChangePassword(ctx, u, c.current, c.next, ks.ID)); got != c.status {
					t.Fatalf("status %d, want %d", got, c.status)
				}
			})
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "correct horse battery", "1.1.1.1"); err != nil {
			t.Fatal("a refused change changed the password")
		}
		if err := s.Accounts.ChangePassword(ctx, u, "correct horse battery", "a brand new passphrase", ks.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "correct horse battery", "1.1.1.2"); err == nil {
			t.Fatal("old password still works")
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "a brand new passphrase", "1.1.1.3"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Accounts.SessionUser(ctx, keep); err != nil {
			t.Fatal("the session in use was ended")
		}
		if _, _, err := s.Accounts.SessionUser(ctx, gone); err == nil {
			t.Fatal("another session survived the password change")
		}
		// A stale copy of the user (read before the change) cannot change it again.
		stale := *u
		stale.PasswordHash = "$argon2id$stale"
		if got := servicetest.Status(s.Accounts.ChangePassword(ctx, &stale, "a brand new passphrase", "yet another password", "")); got != 403 {
			t.Fatalf("stale change: %d", got)
		}

		emails := []struct {
			name, password, email string
			status                int
		}{
			{"wrong password", "nope", "ada2@example.org", 403},
			{"invalid", "a brand new passphrase", "not an address", 422},
			{"taken", "a brand new passphrase", "BOB@example.org", 409},
			{"ok", "a brand new passphrase", "Ada.New@Example.org", 0},
		}
		for _, c := range emails {
			t.Run("email "+c.name, func(t *testing.T) {
				if got := servicetest.Status(s.Accounts.ChangeEmail(ctx, u, c.password, c.email)); got != c.status {
					t.Fatalf("status %d, want %d", got, c.status)
				}
			})
		}
		got, _ := st.UserByID(ctx, u.ID)
		if got.Email != "ada.new@example.org" {
			t.Fatalf("email %q", got.Email)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		u, err := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}

		// Without e-mail: not offered, and refused.
		if s.Accounts.PasswordResetByEmail() {
			t.Fatal("reset by e-mail offered without a mailer")
		}
		if got := servicetest.Status(s.Accounts.RequestPasswordReset(ctx, "ada@example.org", "10.0.0.1")); got != 503 {
			t.Fatalf("without mailer: %d", got)
		}
		mail := &servicetest.MailRecorder{}
		s.SetMailer(mail)

		// Same answer for a known and an unknown address; mail only for the known one.
		if err := s.Accounts.RequestPasswordReset(ctx, "nobody@example.org", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.RequestPasswordReset(ctx, " ADA@example.org ", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		sent := mail.Mails()
		if len(sent) != 1 || sent[0].To != "ada@example.org" {
			t.Fatalf("sent %+v", sent)
		}
		tok := tokenOf(t, sent[0].Text)
		var stored []models.PasswordReset
		st.DB.Find(&stored)
		for _, r := range stored {
			if r.ID == tok || strings.Contains(r.ID, tok) {
				t.Fatal("the token is stored in clear")
			}
		}

		// Per account: at most ResetsPerHour mails an hour, same answer after.
		for i := 0; i < accounts.ResetsPerHour+2; i++ {
			if err := s.Accounts.RequestPasswordReset(ctx, "ada@example.org", "10.0.0."+string(rune('2'+i))); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(mail.Mails()); n != accounts.ResetsPerHour {
			t.Fatalf("%d mails in an hour, want %d", n, accounts.ResetsPerHour)
		}
		// Per client address: the login budget.
		limited := false
		for i := 0; i < 30 && !limited; i++ {
			limited = servicetest.Status(s.Accounts.RequestPasswordReset(ctx, "x@example.org", "10.9.9.9")) == 429
		}
		if !limited {
			t.Fatal("no limit per client address")
		}

		steps := []struct {
			name     string
			token    string
			password string
			status   int
		}{
			{"empty token", "", "a brand new passphrase", 404},
			{"unknown token", "bm90IGEgdG9rZW4", "a brand new passphrase", 404},
			{"weak password keeps the token", tok, "short", 422},
			{"ok", tok, "a brand new passphrase", 0},
			{"reuse", tok, "another new passphrase", 404},
		}
		sess, _, _ := s.Accounts.NewSession(ctx, u, "before")
		apiTok, _, _ := s.Accounts.NewToken(ctx, u, "app")
		for _, c := range steps {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Accounts.ResetPassword(ctx, c.token, c.password)
				if got := servicetest.Status(err); got != c.status {
					t.Fatalf("status %d (%v), want %d", got, err, c.status)
				}
			})
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "a brand new passphrase", "10.1.0.1"); err != nil {
			t.Fatal("reset password does not work:", err)
		}
		if _, _, err := s.Accounts.SessionUser(ctx, sess); err == nil {
			t.Fatal("a session survived the reset")
		}
		if _, err := s.Accounts.TokenUser(ctx, apiTok); err == nil {
			t.Fatal("an API token survived the reset")
		}

		// Expiry, and older links die with a reset.
		now = now.Add(2 * time.Hour)
		link, err := s.Accounts.ResetLink(ctx, "ada")
		if err != nil || !strings.HasPrefix(link, s.Cfg.Server.PublicURL+"/password/reset/") {
			t.Fatalf("link %q %v", link, err)
		}
		if err := s.Accounts.RequestPasswordReset(ctx, "ada@example.org", "10.2.0.1"); err != nil {
			t.Fatal(err)
		}
		mailed := tokenOf(t, mail.Mails()[len(mail.Mails())-1].Text)
		now = now.Add(accounts.ResetTokenTTL + time.Minute)
		if got := servicetest.Status(s.Accounts.CheckResetToken(ctx, mailed)); got != 404 {
			t.Fatalf("expired e-mail token: %d", got)
		}
		cli := tokenOf(t, link)
		if err := s.Accounts.CheckResetToken(ctx, cli); err != nil {
			t.Fatal("CLI link expired too early:", err)
		}
		u, _ = st.UserByID(ctx, u.ID)
		if err := s.Accounts.ChangePassword(ctx, u, "a brand new passphrase", "changed once more", ""); err != nil {
			t.Fatal(err)
		}
		if got := servicetest.Status(s.Accounts.CheckResetToken(ctx, cli)); got != 404 {
			t.Fatalf("a link outlived a password change: %d", got)
		}
		if _, err := s.Accounts.ResetLink(ctx, "nobody"); servicetest.Status(err) != 404 {
			t.Fatalf("link for unknown user: %v", err)
		}
	})
}

func TestRejectSignupAndRevokeInvite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		admin, _ := s.Accounts.SignUp(ctx, service.Registration{Username: "founder", Email: "f@example.org", Password: "correct horse battery"})
		member, _ := s.Accounts.Create(ctx, service.Registration{Username: "mem", Email: "m@example.org", Password: "correct horse battery"})
		s.Instance.SetRegistrationMode(ctx, admin, "approval")
		if _, err := s.Accounts.SignUp(ctx, service.Registration{Username: "wanna", Email: "w@example.org", Password: "correct horse battery", Reason: "seeds"}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, who string
			by        *models.User
			status    int
		}{
			{"member may not", "wanna", member, 403},
			{"approved account", "mem", admin, 409},
			{"unknown", "nobody", admin, 404},
			{"ok", "wanna", admin, 0},
			{"again", "wanna", admin, 404},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := servicetest.Status(s.Accounts.RejectSignup(ctx, c.by, c.who)); got != c.status {
					t.Fatalf("status %d, want %d", got, c.status)
				}
			})
		}
		// The handle and address are free again.
		if _, err := s.Accounts.SignUp(ctx, service.Registration{Username: "wanna", Email: "w@example.org", Password: "correct horse battery", Reason: "again"}); err != nil {
			t.Fatal(err)
		}

		inv, err := s.Instance.CreateInvite(ctx, admin, 5, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := servicetest.Status(s.Instance.RevokeInvite(ctx, member, inv.Code)); got != 403 {
			t.Fatalf("member revoked: %d", got)
		}
		if err := s.Instance.RevokeInvite(ctx, admin, inv.Code); err != nil {
			t.Fatal(err)
		}
		s.Instance.SetRegistrationMode(ctx, admin, "closed")
		if _, err := s.Accounts.SignUp(ctx, service.Registration{Username: "late", Email: "l@example.org", Password: "correct horse battery", InviteCode: inv.Code}); servicetest.Status(err) != 403 {
			t.Fatalf("a revoked invite still works: %v", err)
		}
		if got := servicetest.Status(s.Instance.RevokeInvite(ctx, admin, inv.Code)); got != 404 {
			t.Fatalf("revoke twice: %d", got)
		}
	})
}

func TestInstanceInfo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st, func(c *config.Config) { c.Instance.Name = "From Config" })
		admin, _ := s.Accounts.Create(ctx, service.Registration{Username: "boss", Email: "b@example.org", Password: "correct horse battery", Role: models.RoleAdmin})
		mod, _ := s.Accounts.Create(ctx, service.Registration{Username: "mod", Email: "m@example.org", Password: "correct horse battery", Role: models.RoleModerator})
		if got := s.Instance.Info(ctx); got.Name != "From Config" || got.Rules == nil {
			t.Fatalf("default %+v", got)
		}
		cases := []struct {
			name   string
			by     *models.User
			in     accounts.Info
			status int
			says   []string
		}{
			{"moderator may not", mod, accounts.Info{Name: "X"}, 403, nil},
			{"every problem at once", admin, accounts.Info{Name: " ", Contact: "nope", Rules: make([]string, 0)}, 422, []string{"name must", "contact must"}},
			{"too many rules", admin, accounts.Info{Name: "X", Rules: strings.Split(strings.Repeat("r,", 31), ",")}, 422, []string{"at most 30"}},
			{"ok", admin, accounts.Info{Name: " Seed Library ", Description: "Seeds.", Rules: []string{" Be kind ", "", "No spam"}, Contact: "Mods@Example.org", Terms: "a\r\n\r\nb"}, 0, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Instance.SetInfo(ctx, c.by, c.in)
				if got := servicetest.Status(err); got != c.status {
					t.Fatalf("status %d (%v), want %d", got, err, c.status)
				}
				for _, w := range c.says {
					if !strings.Contains(err.Error(), w) {
						t.Fatalf("%v does not say %q", err, w)
					}
				}
			})
		}
		got := s.Instance.Info(ctx)
		if got.Name != "Seed Library" || len(got.Rules) != 2 || got.Rules[0] != "Be kind" || got.Contact != "mods@example.org" || got.Terms != "a\n\nb" {
			t.Fatalf("saved %+v", got)
		}
	})
}
