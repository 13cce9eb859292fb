package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/version"
)

// TestSignedGet: the peer verifies the signature with signing.Verifier
// against the instance actor's public key.
func TestSignedGet(t *testing.T) {
	e := newEnv(t)
	inst := instanceActor(t, e)
	pub, err := signing.DecodePublicKey([]byte(inst.PublicKeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	v := &signing.Verifier{Keys: keyStub{&signing.Key{ID: inst.PublicKeyID, Owner: inst.URI, Public: pub}}}
	p := newPeer(t)
	var verified *signing.Key
	p.handle("/note", func(w http.ResponseWriter, r *http.Request) {
		k, err := v.Verify(r.Context(), r, nil)
		if err != nil {
			t.Errorf("verify: %v", err)
			w.WriteHeader(401)
			return
		}
		verified = k
		if got := r.Header.Get("Accept"); got != AcceptActivityPub {
			t.Errorf("Accept = %q", got)
		}
		if got := r.Header.Get("User-Agent"); got != "commonsd/"+version.Version+" (+http://local.test)" {
			t.Errorf("User-Agent = %q", got)
		}
		w.Header().Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
		io.WriteString(w, `{"id":"`+p.URL+`/note","type":"Note","content":"hi"}`)
	})
	body, err := e.f.Get(context.Background(), p.URL+"/note#frag", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"hi"`) || verified == nil || verified.Owner != inst.URI {
		t.Errorf("body %s, key %+v", body, verified)
	}
}

func TestGetLimits(t *testing.T) {
	e := newEnv(t, func(_ *config.Config, co *clientOptions) { co.timeout = 300 * time.Millisecond })
	e.f.MaxBodySize = 1000
	p := newPeer(t)
	serve := func(path, ct string, body string) {
		p.handle(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			io.WriteString(w, body)
		})
	}
	serve("/ok", "application/activity+json", `{"id":"x"}`)
	serve("/json", "application/json; charset=utf-8", `{}`)
	serve("/big", "application/activity+json", `{"x":"`+strings.Repeat("a", 2000)+`"}`)
	p.handle("/chunked-big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		for i := 0; i < 20; i++ {
			io.WriteString(w, strings.Repeat("b", 100))
			w.(http.Flusher).Flush()
		}
	})
	serve("/html", "text/html", `<html></html>`)
	p.handle("/notype", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte(`{}`))
	})
	p.handle("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	p.handle("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	p.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	p.handle("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	p.handle("/to-ok", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	tests := []struct {
		path string
		want error
	}{
		{"/ok", nil},
		{"/to-ok", nil},
		{"/json", nil},
		{"/big", ErrTooLarge},
		{"/chunked-big", ErrTooLarge},
		{"/html", ErrContentType},
		{"/notype", ErrContentType},
		{"/missing", ErrNotFound},
		{"/gone", ErrGone},
		{"/slow", context.DeadlineExceeded},
		{"/loop", ErrTooManyRedirects},
	}
	for _, tt := range tests {
		_, err := e.f.Get(context.Background(), p.URL+tt.path, nil)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			// http.Client timeouts are net.Error with Timeout(), not always DeadlineExceeded.
			var te interface{ Timeout() bool }
			if tt.path == "/slow" && errors.As(err, &te) && te.Timeout() {
				continue
			}
			t.Errorf("Get %s: %v, want %v", tt.path, err, tt.want)
		}
	}
	if n := p.count("/loop"); n != MaxRedirects+1 {
		t.Errorf("/loop hit %d times", n)
	}
	_, err := e.f.Get(context.Background(), p.URL+"/forbidden", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 403 {
		t.Errorf("403: %v", err)
	}
	for _, bad := range []string{"ftp://x/", "/relative", "http://user:pw@" + p.host() + "/ok", "http:///x"} {
		if _, err := e.f.Get(context.Background(), bad, nil); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Get %q: %v", bad, err)
		}
	}
	if _, err := e.f.Get(context.Background(), "http://local.test/users/x", nil); !errors.Is(err, ErrLocal) {
		t.Errorf("local Get: %v", err)
	}
}

func TestGetBlockedDomain(t *testing.T) {
	p := newPeer(t)
	p.json("/ok", `{"id":"{{base}}/ok","type":"Note"}`)
	other := newPeer(t)
	other.handle("/to-blocked", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, p.URL+"/ok", http.StatusFound)
	})
	ctx := context.Background()

	e := newEnv(t)
	if err := e.block(ctx, p.host(), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Get(ctx, p.URL+"/ok", nil); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("blocked Get: %v", err)
	}
	if _, err := e.f.Get(ctx, other.URL+"/to-blocked", nil); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("redirect to blocked: %v", err)
	}
	if _, err := e.f.Actor(ctx, p.URL+"/users/a", false); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("blocked Actor: %v", err)
	}
	if _, err := e.f.FetchKey(ctx, p.URL+"/users/a#main-key", false); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("blocked FetchKey: %v", err)
	}
	if n := p.count("/ok"); n != 0 {
		t.Errorf("blocked peer hit %d times", n)
	}

	// Allowlist mode: only the listed domain (any port of 127.0.0.1 here).
	al := newEnv(t, func(c *config.Config, _ *clientOptions) {
		c.Federation.AllowlistMode = true
		c.Federation.AllowedDomains = []string{p.host()}
	})
	if _, err := al.f.Get(ctx, p.URL+"/ok", nil); err != nil {
		t.Errorf("allowed Get: %v", err)
	}
	if _, err := al.f.Get(ctx, other.URL+"/to-blocked", nil); !errors.Is(err, ErrBlockedDomain) {
		t.Errorf("not allowlisted: %v", err)
	}
}

func TestObjectOrigin(t *testing.T) {
	e := newEnv(t)
	p, q := newPeer(t), newPeer(t)
	ctx := context.Background()
	p.json("/good", `{"id":"{{base}}/good","type":"Note"}`)
	p.json("/alias", `{"id":"{{base}}/canonical","type":"Note"}`)
	p.json("/forged", `{"id":"`+q.URL+`/notes/1","type":"Note","content":"forged"}`)
	p.json("/noid", `{"type":"Note"}`)
	// p redirects to q; q serves a document with its own id: re-fetched from q.
	p.handle("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, q.URL+"/new", http.StatusFound) })
	q.json("/new", `{"id":"{{base}}/new","type":"Note"}`)
	// p redirects to q, which claims an id on p: rejected.
	p.handle("/moved-forged", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, q.URL+"/claims-p", http.StatusFound) })
	q.json("/claims-p", `{"id":"`+p.URL+`/good","type":"Note"}`)

	if o, err := e.f.Object(ctx, p.URL+"/good"); err != nil || o.ID != p.URL+"/good" {
		t.Errorf("good: %v %v", o, err)
	}
	if o, err := e.f.Object(ctx, p.URL+"/alias"); err != nil || o.ID != p.URL+"/canonical" {
		t.Errorf("same-host alias: %v %v", o, err)
	}
	if _, err := e.f.Object(ctx, p.URL+"/forged"); !errors.Is(err, ErrOrigin) {
		t.Errorf("forged: %v", err)
	}
	if _, err := e.f.Object(ctx, p.URL+"/noid"); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("no id: %v", err)
	}
	if o, err := e.f.Object(ctx, p.URL+"/moved"); err != nil || o.ID != q.URL+"/new" || q.count("/new") != 2 {
		t.Errorf("moved: %v %v (q hits %d)", o, err, q.count("/new"))
	}
	if _, err := e.f.Object(ctx, p.URL+"/moved-forged"); !errors.Is(err, ErrOrigin) {
		t.Errorf("moved-forged: %v", err)
	}
}
