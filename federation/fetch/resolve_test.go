package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/errs"
)

// webfinger serves acct:<name>@<host> → href for the given names.
func (p *peer) webfinger(t *testing.T, links map[string]string) {
	p.handle("/.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
		res := r.URL.Query().Get("resource")
		name, host, _ := strings.Cut(strings.TrimPrefix(res, "acct:"), "@")
		href, ok := links[name]
		if !ok || host != p.host() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		json.NewEncoder(w).Encode(map[string]any{"subject": res, "links": []map[string]string{
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": p.URL + "/@" + name},
			{"rel": "self", "type": `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, "href": href},
		}})
	})
}

func TestResolve(t *testing.T) {
	e := newEnv(t)
	p, q := newPeer(t), newPeer(t)
	ctx := context.Background()
	ada := p.URL + "/users/ada"
	p.json("/users/ada", actorJSON(t, ada, "ada", newPEM(t)))
	p.webfinger(t, map[string]string{"ada": ada})
	// p serves bob's actor but no WebFinger for him.
	bob := p.URL + "/users/bob"
	p.json("/users/bob", actorJSON(t, bob, "bob", newPEM(t)))
	// q delegates @ada@q to p's ada (p confirms) and @liar@q to p's bob
	// (p does not confirm); @noself@q has no usable self link.
	q.webfinger(t, map[string]string{"ada": ada, "liar": bob, "noself": ""})

	for _, h := range []string{"@ada@" + p.host(), "ada@" + p.host(), "acct:ada@" + p.host(), " @ADA@" + strings.ToUpper(p.host()) + " ", ada} {
		a, err := e.f.Resolve(ctx, h)
		if err != nil || a.URI != ada || a.Username != "ada" || a.Domain != p.host() {
			t.Errorf("Resolve(%q) = %v, %v", h, a, err)
		}
	}
	if n := p.count("/users/ada"); n != 1 {
		t.Errorf("actor fetched %d times", n)
	}
	if a, err := e.f.Resolve(ctx, "@ada@"+q.host()); err != nil || a.URI != ada {
		t.Errorf("delegated: %v %v", a, err)
	}
	inst := instanceActor(t, e)
	if a, err := e.f.Resolve(ctx, "@"+inst.Username+"@local.test"); err != nil || a.ID != inst.ID {
		t.Errorf("local handle: %v %v", a, err)
	}
	if err := e.block(ctx, "blocked.example", ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in     string
		status int
	}{
		{"ada", 400}, {"@ada", 400}, {"ada@", 400}, {"a/b@" + p.host(), 400}, {"ada@host/path", 400},
		{"@nobody@" + p.host(), 404},
		{"@nobody@local.test", 404},
		{"@ada@blocked.example", 403},
		{"@liar@" + q.host(), 502},
		{"@noself@" + q.host(), 502},
		{"@x@127.0.0.1:1", 502}, // nothing listens
	}
	for _, tt := range tests {
		_, err := e.f.Resolve(ctx, tt.in)
		var ee *errs.Error
		if !errors.As(err, &ee) || ee.Status != tt.status {
			t.Errorf("Resolve(%q) = %v (status %d), want %d", tt.in, err, errs.Status(err), tt.status)
		}
	}
}

// SubscribeTemplate reads an account's OStatus subscribe link from its own
// server's WebFinger, under the domain policy: a blocked host is not contacted.
func TestSubscribeTemplate(t *testing.T) {
	e := newEnv(t)
	p, blocked, plain := newPeer(t), newPeer(t), newPeer(t)
	ctx := context.Background()
	serve := func(srv *peer, links []map[string]string) {
		srv.handle("/.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("resource") != "acct:bea@"+srv.host() {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/jrd+json")
			json.NewEncoder(w).Encode(map[string]any{"links": links})
		})
	}
	tpl := p.URL + "/authorize_interaction?uri={uri}"
	serve(p, []map[string]string{{"rel": "self", "href": p.URL + "/users/bea"}, {"rel": SubscribeRel, "template": tpl}})
	serve(blocked, []map[string]string{{"rel": SubscribeRel, "template": tpl}})
	serve(plain, []map[string]string{{"rel": "self", "href": plain.URL + "/users/bea"}, {"rel": SubscribeRel, "template": "no placeholder"}})
	if err := e.block(ctx, blocked.host(), ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, host, want string
		status                 int
	}{
		{"found", "bea", p.host(), tpl, 0},
		{"unknown account", "nobody", p.host(), "", http.StatusNotFound},
		{"no usable subscribe link", "bea", plain.host(), "", http.StatusBadGateway},
		{"blocked host", "bea", blocked.host(), "", http.StatusForbidden},
		{"malformed", "bea", "bad/host", "", http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.f.SubscribeTemplate(ctx, tc.user, tc.host)
			if got != tc.want || (tc.status == 0) != (err == nil) || (err != nil && errs.Status(err) != tc.status) {
				t.Errorf("got %q, %v (status %d), want %q status %d", got, err, errs.Status(err), tc.want, tc.status)
			}
		})
	}
	if n := blocked.count("/.well-known/webfinger"); n != 0 {
		t.Errorf("blocked host was asked %d times", n)
	}
}
