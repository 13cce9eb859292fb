package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/config"
)

// cli runs commonsd with args against a temporary SQLite data folder set up by
// useTempData, like an operator would.
func cli(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRoot(&out, &errb)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func useTempData(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("COMMONSD_DATA_DIR", dir)
	t.Setenv("COMMONSD_DATABASE_DRIVER", "sqlite")
	t.Setenv("COMMONSD_DATABASE_DSN", filepath.Join(dir, "commonsd.db"))
	t.Setenv("COMMONSD_LOG_LEVEL", "warn")
}

func TestAdminCommandsTokenWorksAgainstInstance(t *testing.T) {
	useTempData(t)
	out, _, err := cli(t, "admin", "user", "create", "--username", "root_op", "--email", "op@example.org",
		"--password", "correct horse battery", "--role", "admin")
	if err != nil || !strings.Contains(out, "created user root_op (admin)") {
		t.Fatalf("user create: %q, %v", out, err)
	}
	out, _, err = cli(t, "admin", "token", "create", "--username", "root_op", "--name", "ci")
	token := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(token, "cmd_") || strings.Contains(token, "\n") {
		t.Fatalf("token create: %q, %v", out, err)
	}

	// Serve the same data folder and use the printed token.
	cfg, err := config.Load("", os.Environ())
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.NewLogger(cfg.Log, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Echo)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct{ Username, Role string }
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil || resp.StatusCode != 200 || me.Username != "root_op" || me.Role != "admin" {
		t.Fatalf("verify_credentials: %d %+v %v", resp.StatusCode, me, err)
	}
}

func TestAdminCommandErrors(t *testing.T) {
	useTempData(t)
	if _, _, err := cli(t, "admin", "user", "create", "--username", "taken", "--email", "t@example.org", "--password", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing flags", []string{"admin", "user", "create", "--username", "x"}, `required flag(s) "email", "password" not set`},
		{"weak password", []string{"admin", "user", "create", "--username", "weak", "--email", "w@example.org", "--password", "short"}, "at least 10 characters"},
		{"bad role", []string{"admin", "user", "create", "--username", "r", "--email", "r@example.org", "--password", "correct horse battery", "--role", "king"}, "role must be"},
		{"duplicate", []string{"admin", "user", "create", "--username", "TAKEN", "--email", "t2@example.org", "--password", "correct horse battery"}, "taken"},
		{"token without username", []string{"admin", "token", "create"}, `required flag(s) "username" not set`},
		{"token for unknown user", []string{"admin", "token", "create", "--username", "ghost"}, `no user "ghost"`},
		{"bad configuration", []string{"admin", "token", "create", "--username", "taken", "--config", "/nonexistent.yaml"}, "config"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := cli(t, tc.args...)
			if err == nil {
				t.Fatalf("succeeded: %q", out)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(stderr, tc.msg) {
				t.Fatalf("error %q (stderr %q) does not say %q", err, stderr, tc.msg)
			}
			if strings.Contains(out, "cmd_") {
				t.Fatalf("printed a token on failure: %q", out)
			}
		})
	}
}

func TestAdminCommunityCreate(t *testing.T) {
	useTempData(t)
	if _, _, err := cli(t, "admin", "user", "create", "--username", "founder", "--email", "f@example.org", "--password", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, "admin", "community", "create", "--handle", "seeds", "--name", "Seed Library", "--owner", "founder", "--licence", "CC-BY-SA-4.0")
	cfg, cerr := config.Load("", os.Environ())
	if cerr != nil {
		t.Fatal(cerr)
	}
	if want := cfg.Server.PublicURL + "/users/seeds\n"; err != nil || out != want {
		t.Fatalf("community create: %q (want %q), %v", out, want, err)
	}
	out, _, err = cli(t, "admin", "community", "create", "--handle", "ppl", "--name", "Default licence", "--owner", "founder")
	if err != nil || !strings.HasSuffix(out, "/users/ppl\n") {
		t.Fatalf("community create with the default licence: %q, %v", out, err)
	}

	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing flags", []string{"--handle", "x"}, `required flag(s) "name", "owner" not set`},
		{"unknown owner", []string{"--handle", "x", "--name", "X", "--owner", "ghost"}, `no user "ghost"`},
		{"taken handle", []string{"--handle", "seeds", "--name", "Again", "--owner", "founder"}, "taken"},
		{"handle of a user", []string{"--handle", "founder", "--name", "F", "--owner", "founder"}, "taken"},
		{"bad licence", []string{"--handle", "x", "--name", "X", "--owner", "founder", "--licence", "WTFPL"}, "licence must be one of"},
		{"bad handle", []string{"--handle", "no spaces", "--name", "X", "--owner", "founder"}, "handle"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := cli(t, append([]string{"admin", "community", "create"}, tc.args...)...)
			if err == nil {
				t.Fatalf("succeeded: %q", out)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(stderr, tc.msg) {
				t.Fatalf("error %q (stderr %q) does not say %q", err, stderr, tc.msg)
			}
		})
	}

	// The same data folder, served: the owner is the community's steward.
	a, err := app.New(context.Background(), cfg, app.NewLogger(cfg.Log, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Echo)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/communities/seeds")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var com struct {
		Name     string
		Settings struct {
			Licence     struct{ ID string }
			Maintainers []struct{ Handle, Role string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&com); err != nil || resp.StatusCode != 200 || com.Name != "Seed Library" ||
		com.Settings.Licence.ID != "CC-BY-SA-4.0" || len(com.Settings.Maintainers) != 1 ||
		!strings.HasPrefix(com.Settings.Maintainers[0].Handle, "@founder@") || com.Settings.Maintainers[0].Role != "steward" {
		t.Fatalf("GET community: %d %+v %v", resp.StatusCode, com, err)
	}
}

func TestAdminResetPassword(t *testing.T) {
	useTempData(t)
	if _, _, err := cli(t, "admin", "user", "create", "--username", "forgetful", "--email", "f@example.org", "--password", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, "admin", "user", "reset-password", "--username", "ghost"); err == nil || !strings.Contains(err.Error(), `no user "ghost"`) {
		t.Fatalf("unknown user: %v", err)
	}
	out, _, err := cli(t, "admin", "user", "reset-password", "--username", "forgetful")
	link := strings.TrimSpace(out)
	if err != nil || !strings.Contains(link, "/password/reset/") || strings.Contains(link, "\n") {
		t.Fatalf("reset-password: %q %v", out, err)
	}
	cfg, err := config.Load("", os.Environ())
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.NewLogger(cfg.Log, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	token := link[strings.LastIndex(link, "/")+1:]
	ctx := context.Background()
	if err := a.Svc.Accounts.CheckResetToken(ctx, token); err != nil {
		t.Fatal("printed link is not usable:", err)
	}
	if _, err := a.Svc.Accounts.ResetPassword(ctx, token, "chosen by the user"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Svc.Accounts.Authenticate(ctx, "forgetful", "chosen by the user", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Svc.Accounts.ResetPassword(ctx, token, "second use of it"); err == nil {
		t.Fatal("the link worked twice")
	}
}
