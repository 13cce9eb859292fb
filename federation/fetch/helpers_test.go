package fetch

import (
	"context"
	"encoding/json"
	"github.com/commonsd/commonsd/internal/fixtures"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// env is a fetcher on a fresh store whose public URL is http://local.test.
type env struct {
	cfg    config.Config
	st     *store.Store
	svc    *service.Service
	policy *Policy
	f      *Fetcher
}

type envOpt func(*config.Config, *clientOptions)

func newEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	cfg := config.Default()
	cfg.Server.PublicURL = "http://local.test"
	cfg.Federation.AllowPrivateAddresses = true
	co := clientOptions{allowPrivate: true, timeout: 3 * time.Second}
	for _, o := range opts {
		o(&cfg, &co)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys, err := service.LoadKeys("test-secret", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(cfg, st, keys, log)
	p := NewPolicy(cfg.Federation, st, log)
	co.policy = p
	f := New(cfg, st, svc.Actors, newClient(co), p, log)
	svc.SetPorts(nil, nil, p)
	return &env{cfg: cfg, st: st, svc: svc, policy: p, f: f}
}

// block blocks domain as an admin would: through the service, which writes the
// entry and reloads the policy.
func (e *env) block(ctx context.Context, domain, reason string) error {
	_, err := e.svc.Admin.PutDomainPolicy(ctx, nil, domain, service.PolicyBlock, reason)
	return err
}

// peer is a fake remote server on 127.0.0.1 with per-path handlers and hit
// counters.
type peer struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   sync.Map // path → *atomic.Int64
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	p := &peer{routes: map[string]http.HandlerFunc{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := p.hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		c.(*atomic.Int64).Add(1)
		p.mu.Lock()
		h := p.routes[r.URL.Path]
		p.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *peer) handle(path string, h http.HandlerFunc) {
	p.mu.Lock()
	p.routes[path] = h
	p.mu.Unlock()
}

// json serves body (with {{base}} replaced by the server's URL).
func (p *peer) json(path, body string) {
	p.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		io.WriteString(w, strings.ReplaceAll(body, "{{base}}", p.URL))
	})
}

func (p *peer) count(path string) int64 {
	if c, ok := p.hits.Load(path); ok {
		return c.(*atomic.Int64).Load()
	}
	return 0
}

// host is host:port of the peer.
func (p *peer) host() string { return strings.TrimPrefix(p.URL, "http://") }

// actorJSON is a minimal Mastodon-like actor document.
func actorJSON(t testing.TB, id, name, pem string) string {
	t.Helper()
	m := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              "Person",
		"preferredUsername": name,
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"followers":         id + "/followers",
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pem},
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newPEM(t testing.TB) string {
	t.Helper()
	k, err := signing.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := signing.EncodePublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem)
}

func fixturesDir(t testing.TB) string {
	t.Helper()
	return fixtures.Dir(t)
}

func fixture(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keyStub is a signing.KeyFetcher returning one key.
type keyStub struct{ key *signing.Key }

func (k keyStub) FetchKey(context.Context, string, bool) (*signing.Key, error) { return k.key, nil }

func instanceActor(t *testing.T, e *env) *models.Actor {
	t.Helper()
	a, err := e.svc.Actors.Instance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a
}
