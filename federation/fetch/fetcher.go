package fetch

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/version"
	"golang.org/x/sync/singleflight"
)

// Defaults of the Fetcher's tunables.
const (
	DefaultMaxBodySize        = 1 << 20
	DefaultActorTTL           = 24 * time.Hour
	DefaultKeyRefreshInterval = time.Minute
	// fetchTimeout bounds one shared fetch with all its redirects; each hop
	// is also bounded by the client's timeout.
	fetchTimeout = 30 * time.Second
)

// Accept headers.
const (
	AcceptActivityPub = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	acceptJRD         = "application/jrd+json, application/json"
)

// Keys is what the fetcher needs of the service layer: the instance actor
// (the default signer), local actors' private keys, and the upsert of a
// fetched remote actor (the fetcher converts; the service stores, with its
// rules). *service.Actors implements it.
type Keys interface {
	Instance(ctx context.Context) (*models.Actor, error)
	PrivateKey(act *models.Actor) (*rsa.PrivateKey, error)
	UpsertRemote(ctx context.Context, doc *models.Actor) (*models.Actor, error)
}

// Fetcher fetches remote objects and actors with signed GETs, caches actors
// in the actors table and resolves handles. It is safe for concurrent use;
// set the exported tunables before first use.
type Fetcher struct {
	// MaxBodySize is the largest response accepted (DefaultMaxBodySize).
	MaxBodySize int64
	// ActorTTL is how long a fetched actor is used without refetching.
	ActorTTL time.Duration
	// KeyRefreshInterval is the least time between two refreshes of one key
	// that FetchKey(refresh=true) performs.
	KeyRefreshInterval time.Duration
	// Now is the clock (signatures, cache ages).
	Now func() time.Time

	cfg        config.Config
	st         *store.Store
	keys       Keys
	client     *http.Client // follows no redirect: Get does, re-signing each hop
	policy     *Policy
	log        *slog.Logger
	publicHost string // canonical
	scheme     string // our public scheme
	userAgent  string

	sf singleflight.Group

	pkMu    sync.Mutex
	pkCache map[string]*rsa.PrivateKey // by sealed key

	keyCache keyCache

	refMu       sync.Mutex
	lastRefresh map[string]time.Time // by key id
}

// New builds a Fetcher. client nil means NewHTTPClient with the
// configuration's allow_private_addresses; policy nil means NewPolicy from
// the configuration and st. The client's own CheckRedirect is not used:
// Get follows redirects itself so that each hop is signed for its own
// host and path, and re-checked.
func New(cfg config.Config, st *store.Store, keys Keys, client *http.Client, policy *Policy, log *slog.Logger) *Fetcher {
	if log == nil {
		log = slog.Default()
	}
	if policy == nil {
		policy = NewPolicy(cfg.Federation, st, log)
	}
	if client == nil {
		client = NewHTTPClient(cfg.Federation.AllowPrivateAddresses, policy)
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	pu, _ := url.Parse(cfg.Server.PublicURL)
	f := &Fetcher{
		MaxBodySize: DefaultMaxBodySize, ActorTTL: DefaultActorTTL, KeyRefreshInterval: DefaultKeyRefreshInterval,
		Now: time.Now,
		cfg: cfg, st: st, keys: keys, client: &c, policy: policy, log: log,
		userAgent:   fmt.Sprintf("commonsd/%s (+%s)", version.Version, cfg.Server.PublicURL),
		pkCache:     map[string]*rsa.PrivateKey{},
		lastRefresh: map[string]time.Time{},
	}
	if pu != nil {
		f.publicHost = canonicalHost(pu)
		f.scheme = pu.Scheme
	}
	return f
}

// Policy returns the domain policy the fetcher enforces.
func (f *Fetcher) Policy() *Policy { return f.policy }

// response is a fetched document and where it finally came from.
type response struct {
	body  []byte
	final *url.URL
}

// Get fetches uri with a GET signed by signer (a local actor; nil means the
// instance actor) and returns the body. The domain policy is checked on uri
// and on every redirect (at most MaxRedirects, each re-signed); the answer
// must be 2xx, JSON (activity+json, ld+json, json or another +json type)
// and at most MaxBodySize bytes. 404 gives ErrNotFound and 410 ErrGone.
// Concurrent calls for one URI and signer share one request. A URI on our
// own host gives ErrLocal: read the store instead.
func (f *Fetcher) Get(ctx context.Context, uri string, signer *models.Actor) ([]byte, error) {
	r, err := f.fetch(ctx, uri, signer, AcceptActivityPub, true)
	if err != nil {
		return nil, err
	}
	return r.body, nil
}

// fetch is Get with the final URL, through singleflight. The returned
// body is shared between concurrent callers: never modify it.
func (f *Fetcher) fetch(ctx context.Context, uri string, signer *models.Actor, accept string, sign bool) (*response, error) {
	u, err := f.target(uri)
	if err != nil {
		return nil, err
	}
	if ctx.Value(offlineKey{}) != nil {
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), ErrOffline)
	}
	signerKey := "-"
	if sign {
		signerKey = "instance"
		if signer != nil {
			signerKey = signer.ID
		}
	}
	key := "get " + signerKey + " " + accept + " " + u.String()
	ch := f.sf.DoChan(key, func() (any, error) {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		return f.do(c, u, signer, accept, sign)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*response), nil
	}
}

// target parses and checks a URI we are asked to fetch; the fragment goes.
func (f *Fetcher) target(uri string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(uri))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	u.Fragment, u.RawFragment = "", ""
	if err := checkTarget(u, f.policy); err != nil {
		return nil, err
	}
	if f.isLocal(u) {
		return nil, fmt.Errorf("%w: %s", ErrLocal, u.Redacted())
	}
	return u, nil
}

// isLocal reports whether u is on our public host.
func (f *Fetcher) isLocal(u *url.URL) bool {
	return f.publicHost != "" && canonicalHost(u) == f.publicHost
}

func (f *Fetcher) do(ctx context.Context, u *url.URL, signer *models.Actor, accept string, sign bool) (*response, error) {
	var (
		keyID string
		key   *rsa.PrivateKey
	)
	if sign {
		var err error
		if keyID, key, err = f.signingKey(ctx, signer); err != nil {
			return nil, err
		}
	}
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
		}
		req.Header.Set("Accept", accept)
		req.Header.Set("User-Agent", f.userAgent)
		if key != nil {
			if err := signing.SignRequest(req, keyID, key, nil, f.Now()); err != nil {
				return nil, err
			}
		}
		resp, err := f.client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u.Redacted(), err)
		}
		switch resp.StatusCode {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
			http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			loc := resp.Header.Get("Location")
			drain(resp)
			if hop >= MaxRedirects {
				return nil, fmt.Errorf("GET %s: %w", u.Redacted(), ErrTooManyRedirects)
			}
			next, err := u.Parse(loc)
			if err != nil || loc == "" {
				return nil, fmt.Errorf("%w: redirect from %s to %q", ErrInvalidURL, u.Redacted(), loc)
			}
			next.Fragment, next.RawFragment = "", ""
			if err := checkTarget(next, f.policy); err != nil {
				return nil, fmt.Errorf("redirect from %s: %w", u.Redacted(), err)
			}
			u = next
			continue
		}
		body, err := f.read(resp, u, accept)
		if err != nil {
			return nil, err
		}
		return &response{body: body, final: u}, nil
	}
}

// read checks status, type and size, and reads the body.
func (f *Fetcher) read(resp *http.Response, u *url.URL, accept string) ([]byte, error) {
	defer drain(resp)
	switch c := resp.StatusCode; {
	case c == http.StatusNotFound:
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), ErrNotFound)
	case c == http.StatusGone:
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), ErrGone)
	case c < 200 || c > 299:
		return nil, &StatusError{Code: c, URL: u.Redacted()}
	}
	if ct := resp.Header.Get("Content-Type"); accept == AcceptHTML {
		if !htmlish(ct) {
			return nil, fmt.Errorf("GET %s: %w (%q)", u.Redacted(), ErrContentType, ct)
		}
	} else if !jsonish(ct) {
		return nil, fmt.Errorf("GET %s: %w (%q)", u.Redacted(), ErrContentType, ct)
	}
	limit := f.MaxBodySize
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("GET %s: %w (Content-Length %d > %d)", u.Redacted(), ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading body: %w", u.Redacted(), err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("GET %s: %w (> %d bytes)", u.Redacted(), ErrTooLarge, limit)
	}
	return body, nil
}

// drain reads a little of what is left so that the connection can be
// reused, and closes the body.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}

// jsonish accepts application/json and application/*+json media types.
func jsonish(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// signingKey returns the key id and private key of signer (default: the
// instance actor). Opened keys are cached by their sealed bytes.
func (f *Fetcher) signingKey(ctx context.Context, signer *models.Actor) (string, *rsa.PrivateKey, error) {
	if signer == nil {
		if f.keys == nil {
			return "", nil, errors.New("fetch: no signer and no instance actor")
		}
		var err error
		if signer, err = f.keys.Instance(ctx); err != nil {
			return "", nil, fmt.Errorf("fetch: instance actor: %w", err)
		}
	}
	if !signer.Local() {
		return "", nil, fmt.Errorf("fetch: signer %s is not local", signer.URI)
	}
	ck := string(signer.PrivateKey)
	f.pkMu.Lock()
	key := f.pkCache[ck]
	f.pkMu.Unlock()
	if key == nil {
		if f.keys == nil {
			return "", nil, errors.New("fetch: cannot open private keys")
		}
		var err error
		if key, err = f.keys.PrivateKey(signer); err != nil {
			return "", nil, err
		}
		f.pkMu.Lock()
		if len(f.pkCache) > 1000 {
			clear(f.pkCache)
		}
		f.pkCache[ck] = key
		f.pkMu.Unlock()
	}
	keyID := signer.PublicKeyID
	if keyID == "" {
		keyID = signer.URI + "#main-key"
	}
	return keyID, key, nil
}

// Object fetches uri (signed by the instance actor) and parses it. Origin
// check: the document's id must be on the host it was finally served from
// (after redirects), and equal uri or be on uri's host. When a redirect
// led to another host that serves a document with its own id there, that
// id is fetched once more from its origin and must come back unchanged.
// Violations give ErrOrigin.
func (f *Fetcher) Object(ctx context.Context, uri string) (*vocab.Object, error) {
	obj, _, err := f.object(ctx, uri, nil, false)
	return obj, err
}

// object returns the parsed document and the response it came from.
func (f *Fetcher) object(ctx context.Context, uri string, signer *models.Actor, refetched bool) (*vocab.Object, *response, error) {
	r, err := f.fetch(ctx, uri, signer, AcceptActivityPub, true)
	if err != nil {
		return nil, nil, err
	}
	return f.checked(ctx, uri, r, signer, refetched)
}

// checked reads r (fetched for uri) with the strict direct reader of fetched
// documents (vocab.ParseDocument: no go-fed on the inbound path) and applies
// the origin check.
func (f *Fetcher) checked(ctx context.Context, uri string, r *response, signer *models.Actor, refetched bool) (*vocab.Object, *response, error) {
	obj, err := vocab.ParseDocument(r.body)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w: %w", uri, ErrInvalidDocument, err)
	}
	id, err := url.Parse(obj.ID)
	if err != nil || id.Host == "" || (id.Scheme != "http" && id.Scheme != "https") {
		return nil, nil, fmt.Errorf("GET %s: %w: id %q", uri, ErrInvalidDocument, obj.ID)
	}
	if canonicalHost(id) != canonicalHost(r.final) {
		return nil, nil, fmt.Errorf("%w: %s served a document with id %s", ErrOrigin, r.final.Redacted(), obj.ID)
	}
	if stripFragment(obj.ID) == stripFragment(uri) || canonicalHost(id) == hostOf(uri) {
		return obj, r, nil
	}
	if refetched {
		return nil, nil, fmt.Errorf("%w: %s has id %s", ErrOrigin, uri, obj.ID)
	}
	// A cross-host redirect: ask the id's origin itself.
	o2, r2, err := f.object(ctx, obj.ID, signer, true)
	if err != nil {
		return nil, nil, err
	}
	if o2.ID != obj.ID {
		return nil, nil, fmt.Errorf("%w: %s has id %s at its origin", ErrOrigin, obj.ID, o2.ID)
	}
	return o2, r2, nil
}

// canonicalHost is the lower-case host[:port] of u without the scheme's
// default port: the form of models.Actor.Domain.
func canonicalHost(u *url.URL) string {
	if u == nil {
		return ""
	}
	h := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	case u.Scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	}
	return strings.TrimSuffix(h, ".")
}

func stripFragment(s string) string {
	s, _, _ = strings.Cut(s, "#")
	return s
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return canonicalHost(u)
}

type offlineKey struct{}

// Offline returns ctx under which every fetch fails at once with ErrOffline
// instead of going to the network. The inbound processing job processes a
// batch of activities in one transaction (on SQLite the only writer
// connection): a fetch there would hold every writer up for as long as a
// remote server takes to answer, so an activity that needs one is processed
// again on its own, outside the batch.
func Offline(ctx context.Context) context.Context {
	return context.WithValue(ctx, offlineKey{}, true)
}
