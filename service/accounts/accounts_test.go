package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func TestSignUpRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		first, err := s.Accounts.SignUp(ctx, service.Registration{Username: "founder", Email: "f@example.org", Password: "correct horse battery"})
		if err != nil || first.Role != models.RoleAdmin || !first.Approved {
			t.Fatalf("first account must be an approved admin: %+v %v", first, err)
		}
		cases := []struct {
			name   string
			mode   string
			reg    service.Registration
			status int
		}{
			{"ok", "open", service.Registration{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, 0},
			{"duplicate username any case", "open", service.Registration{Username: "ADA", Email: "other@example.org", Password: "long enough pw"}, 409},
			{"duplicate email", "open", service.Registration{Username: "ada2", Email: "ADA@example.org", Password: "long enough pw"}, 409},
			{"handle used by instance actor", "open", service.Registration{Username: "admin", Email: "x@example.org", Password: "long enough pw"}, 422},
			{"bad handle", "open", service.Registration{Username: "no spaces", Email: "y@example.org", Password: "long enough pw"}, 422},
			{"missing password", "open", service.Registration{Username: "bob", Email: "bob@example.org"}, 422},
			{"short password", "open", service.Registration{Username: "bob", Email: "bob@example.org", Password: "short"}, 422},
			{"repeated password", "open", service.Registration{Username: "bob", Email: "bob@example.org", Password: "aaaaaaaaaaaa"}, 422},
			{"password is username", "open", service.Registration{Username: "bobbobbobbob", Email: "bob@example.org", Password: "BobBobBobBob"}, 422},
			{"bad email", "open", service.Registration{Username: "bob", Email: "not-an-email", Password: "long enough pw"}, 422},
			{"closed without invite", "closed", service.Registration{Username: "carl", Email: "c@example.org", Password: "long enough pw"}, 403},
			{"closed with bad invite", "closed", service.Registration{Username: "carl", Email: "c@example.org", Password: "long enough pw", InviteCode: "nope"}, 403},
			{"approval without reason", "approval", service.Registration{Username: "dora", Email: "d@example.org", Password: "long enough pw"}, 422},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if err := s.Instance.SetRegistrationMode(ctx, first, c.mode); err != nil {
					t.Fatal(err)
				}
				before, _ := st.CountUsers(ctx)
				_, err := s.Accounts.SignUp(ctx, c.reg)
				if got := servicetest.Status(err); got != c.status {
					t.Fatalf("status %d (%v), want %d", got, err, c.status)
				}
				after, _ := st.CountUsers(ctx)
				if c.status != 0 && after != before {
					t.Fatal("a rejected sign-up changed the user count")
				}
			})
		}
		// Approval mode: the account exists but cannot log in until approved.
		s.Instance.SetRegistrationMode(ctx, first, "approval")
		if _, err := s.Accounts.SignUp(ctx, service.Registration{Username: "dora", Email: "d@example.org", Password: "long enough pw", Reason: "I write docs"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "dora", "long enough pw", "1.2.3.4"); servicetest.Status(err) != 403 {
			t.Fatalf("unapproved login: %v", err)
		}
		yes := true
		if _, err := s.Accounts.Moderate(ctx, first, "dora", service.ModerationChange{Approved: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "dora", "long enough pw", "1.2.3.4"); err != nil {
			t.Fatalf("approved login: %v", err)
		}
		// Closed mode with a valid invite.
		s.Instance.SetRegistrationMode(ctx, first, "closed")
		inv, err := s.Instance.CreateInvite(ctx, first, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		reg := service.Registration{Username: "erin", Email: "e@example.org", Password: "long enough pw", InviteCode: inv.Code}
		if _, err := s.Accounts.SignUp(ctx, reg); err != nil {
			t.Fatalf("invite sign-up: %v", err)
		}
		reg.Username, reg.Email = "fred", "fred@example.org"
		if _, err := s.Accounts.SignUp(ctx, reg); servicetest.Status(err) != 403 {
			t.Fatalf("used invite accepted: %v", err)
		}
	})
}

func TestAuthTokensAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		u, err := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "wrong password", "9.9.9.9"); servicetest.Status(err) != 401 {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "nobody", "wrong password", "9.9.9.9"); servicetest.Status(err) != 401 {
			t.Fatalf("unknown user: %v", err)
		}
		if _, err := s.Accounts.Authenticate(ctx, "ADA@example.org", "long enough pw", "9.9.9.9"); err != nil {
			t.Fatalf("login by email: %v", err)
		}
		secret, tok, err := s.Accounts.NewToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Accounts.TokenUser(ctx, secret); err != nil || got.ID != u.ID {
			t.Fatalf("token: %v", err)
		}
		for _, bad := range []string{"", "cmd_nope", secret + "x"} {
			if _, err := s.Accounts.TokenUser(ctx, bad); servicetest.Status(err) != 401 {
				t.Fatalf("bad token %q: %v", bad, err)
			}
		}
		if err := s.Accounts.RevokeToken(ctx, u, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.TokenUser(ctx, secret); servicetest.Status(err) != 401 {
			t.Fatalf("revoked token accepted: %v", err)
		}
		cookie, _, err := s.Accounts.NewSession(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Accounts.SessionUser(ctx, cookie); err != nil {
			t.Fatal(err)
		}
		// Suspension ends sessions and blocks tokens.
		yes := true
		if _, err := s.Accounts.Moderate(ctx, nil, "ada", service.ModerationChange{Suspended: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Accounts.SessionUser(ctx, cookie); err == nil {
			t.Fatal("session survived suspension")
		}
		if _, err := s.Accounts.Authenticate(ctx, "ada", "long enough pw", "9.9.9.9"); servicetest.Status(err) != 403 {
			t.Fatalf("suspended login: %v", err)
		}
		if _, err := s.Actors.LocalByHandle(ctx, "ada"); servicetest.Status(err) != 404 {
			t.Fatalf("suspended actor still served: %v", err)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := servicetest.New(t, st)
	ctx := context.Background()
	var last error
	for i := 0; i < 12; i++ {
		_, last = s.Accounts.Authenticate(ctx, "ghost", "whatever pw", "5.5.5.5")
	}
	if servicetest.Status(last) != 429 {
		t.Fatalf("12 attempts in a row: %v", last)
	}
}

func TestKeysSealedAtRest(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := servicetest.New(t, st)
	ctx := context.Background()
	u, err := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	act, _ := s.Accounts.ActorOf(ctx, u)
	if len(act.PrivateKey) == 0 || string(act.PrivateKey[:5]) == "-----" {
		t.Fatal("private key stored in the clear")
	}
	k, err := s.Actors.PrivateKey(act)
	if err != nil || k.N.BitLen() != 2048 {
		t.Fatalf("key: %v", err)
	}
	other, _ := service.LoadKeys("another secret that is long enough!!", t.TempDir())
	if _, err := other.Private(act.PrivateKey); err == nil {
		t.Fatal("opened with the wrong secret")
	}
	if errors.Is(err, nil) && act.PublicKeyID != act.URI+"#main-key" {
		t.Fatal(act.PublicKeyID)
	}
}

func TestAvatarLimits(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := servicetest.New(t, st)
	ctx := context.Background()
	u, _ := s.Accounts.Create(ctx, service.Registration{Username: "ada", Email: "ada@example.org", Password: "long enough pw"})
	act, _ := s.Accounts.ActorOf(ctx, u)
	png := append([]byte{0x89, 'P', 'N', 'G'}, make([]byte, 100)...)
	cases := []struct {
		name, ct string
		data     []byte
		status   int
	}{
		{"too big", "image/png", append([]byte{0x89, 'P', 'N', 'G'}, make([]byte, 3<<20)...), 413},
		{"wrong type", "image/svg+xml", []byte("<svg/>"), 415},
		{"lying type", "image/png", []byte("GIF89a....."), 415},
		{"empty", "image/png", nil, 422},
		{"ok", "image/png", png, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Actors.SetAvatar(ctx, act, c.ct, c.data)
			if servicetest.Status(err) != c.status {
				t.Fatalf("got %v want %d", err, c.status)
			}
			fresh, _ := st.ActorByID(ctx, act.ID)
			if c.status != 0 && fresh.IconURL != "" {
				t.Fatal("rejected upload changed the avatar")
			}
			if c.status == 0 && fresh.IconURL == "" {
				t.Fatal("avatar not set")
			}
		})
	}
}
