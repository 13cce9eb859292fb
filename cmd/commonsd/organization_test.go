package main

import (
	"os"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/config"
)

func TestAdminOrganizationCreate(t *testing.T) {
	useTempData(t)
	if _, _, err := cli(t, "admin", "user", "create", "--username", "treasurer", "--email", "t@example.org", "--password", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, "admin", "organization", "create", "--handle", "seedfund", "--name", "Seed Fund", "--owner", "treasurer",
		"--kind", "foundation", "--website", "https://seedfund.example")
	cfg, cerr := config.Load("", os.Environ())
	if cerr != nil {
		t.Fatal(cerr)
	}
	if want := cfg.Server.PublicURL + "/users/seedfund\n"; err != nil || out != want {
		t.Fatalf("organization create: %q (want %q), %v", out, want, err)
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"missing kind", []string{"--handle", "x", "--name", "X", "--owner", "treasurer"}, `required flag(s) "kind" not set`},
		{"bad kind", []string{"--handle", "x", "--name", "X", "--owner", "treasurer", "--kind", "company"}, "coalition or foundation"},
		{"taken handle", []string{"--handle", "treasurer", "--name", "X", "--owner", "treasurer", "--kind", "coalition"}, "taken"},
		{"unknown owner", []string{"--handle", "x", "--name", "X", "--owner", "ghost", "--kind", "coalition"}, `no user "ghost"`},
	} {
		_, stderr, err := cli(t, append([]string{"admin", "organization", "create"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error()+stderr, tc.msg) {
			t.Errorf("%s: %v (stderr %q), want %q", tc.name, err, stderr, tc.msg)
		}
	}
}
