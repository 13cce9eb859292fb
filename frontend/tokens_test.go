package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

func TestTokens(t *testing.T) {
	inst, b := startWithAdmin(t)
	ctx := context.Background()
	ada := user(t, inst, "ada")

	want(t, b.post("", "/settings/tokens", url.Values{"name": {"sneaky"}, "csrf": {"bad"}}), http.StatusForbidden)
	want(t, b.post("/settings/tokens", "/settings/tokens", url.Values{"name": {" "}}), http.StatusUnprocessableEntity, "give the token a name")
	if toks, _ := inst.App.Svc.Accounts.Tokens(ctx, ada); len(toks) != 0 {
		t.Fatalf("tokens created by rejected posts: %d", len(toks))
	}

	p := b.post("/settings/tokens", "/settings/tokens", url.Values{"name": {"phone app"}})
	want(t, p, http.StatusCreated, "phone app", "will not be shown again")
	m := regexp.MustCompile(`id="new-token">(cmd_[^<]+)<`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatal("secret not shown")
	}
	if u, err := inst.App.Svc.Accounts.TokenUser(ctx, m[1]); err != nil || u.ID != ada.ID {
		t.Fatalf("token does not work: %v", err)
	}
	toks, _ := inst.App.Svc.Accounts.Tokens(ctx, ada)
	if len(toks) != 1 {
		t.Fatalf("tokens: %d", len(toks))
	}
	list := b.get("/settings/tokens")
	want(t, list, http.StatusOK, "phone app", "/settings/tokens/"+toks[0].ID+"/revoke")
	if regexp.MustCompile(`cmd_`).MatchString(list.Body) {
		t.Fatal("secret shown again")
	}

	other := newBrowser(t, inst)
	other.signup("otto", nil)
	want(t, other.post("/settings/tokens", "/settings/tokens/"+toks[0].ID+"/revoke", url.Values{}), http.StatusNotFound)
	p = b.post("/settings/tokens", "/settings/tokens/"+toks[0].ID+"/revoke", url.Values{})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.Status)
	}
	if _, err := inst.App.Svc.Accounts.TokenUser(ctx, m[1]); err == nil {
		t.Fatal("revoked token still works")
	}
	want(t, b.get("/settings/tokens?done=revoked"), http.StatusOK, "Token revoked.", "revoked 2")
}
