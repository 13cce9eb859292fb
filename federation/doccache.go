package federation

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// docCacheTTL bounds how stale a cached actor or WebFinger document can be in a
// process that did not make the change itself (several processes on one
// PostgreSQL); the process that changes an actor drops its entries at once.
const docCacheTTL = 2 * time.Second

// docCache keeps rendered discovery documents (actor JSON, the instance actor,
// WebFinger JRD): they are the most fetched URLs of an instance — every remote
// server fetches them — and rendering them cost a query and a go-fed
// serialisation per request.
type docCache struct {
	mu  sync.Mutex
	gen func() int64
	now func() time.Time // the clock (a seam for tests)
	m   map[string]cachedDoc
}

type cachedDoc struct {
	body []byte
	gen  int64
	at   time.Time
}

func newDocCache(gen func() int64) *docCache {
	return &docCache{gen: gen, now: time.Now, m: map[string]cachedDoc{}}
}

// get returns a cached body, or renders and caches it. Errors are not cached.
func (c *docCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	gen := c.gen()
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	now := c.now()
	if ok && e.gen == gen && now.Sub(e.at) < docCacheTTL {
		return e.body, nil
	}
	body, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) > 10000 {
		c.m = map[string]cachedDoc{}
	}
	c.m[key] = cachedDoc{body: body, gen: gen, at: now}
	c.mu.Unlock()
	return body, nil
}

// refreshedDoc is a document built from numbers that may lag behind by a bounded
// interval (NodeInfo's usage counts): the first request renders it and waits;
// afterwards every request is answered from the rendered body, and the first
// request that finds it older than the interval starts one render in the
// background, so no request waits for a query again and the database sees at
// most one render per interval, however many requests arrive. A failed
// background render keeps the last body (it is logged and retried after the
// next interval); a failed first render is returned and not remembered.
type refreshedDoc struct {
	first sync.Mutex // serialises first renders: one runs, the others wait for it
	mu    sync.Mutex
	body  []byte
	tried time.Time // when the last render started
	busy  bool      // a background render is running
}

// get returns the body, rendering it on the first call. now is the clock
// reading of this request; render gets a context detached from the request's
// cancellation when it runs in the background.
func (d *refreshedDoc) get(ctx context.Context, now time.Time, every time.Duration, log *slog.Logger,
	render func(context.Context) ([]byte, error)) ([]byte, error) {
	d.mu.Lock()
	body := d.body
	stale := body != nil && !d.busy && now.Sub(d.tried) >= every
	if stale {
		d.busy, d.tried = true, now
	}
	d.mu.Unlock()
	if body == nil {
		return d.renderFirst(ctx, now, render)
	}
	if stale {
		go d.refresh(context.WithoutCancel(ctx), render, log)
	}
	return body, nil
}

func (d *refreshedDoc) renderFirst(ctx context.Context, now time.Time, render func(context.Context) ([]byte, error)) ([]byte, error) {
	d.first.Lock()
	defer d.first.Unlock()
	d.mu.Lock()
	body := d.body
	d.mu.Unlock()
	if body != nil { // rendered while this request waited
		return body, nil
	}
	body, err := render(ctx)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if d.body == nil {
		d.body, d.tried = body, now
	}
	d.mu.Unlock()
	return body, nil
}

// refreshTimeout bounds one background render.
const refreshTimeout = 30 * time.Second

func (d *refreshedDoc) refresh(ctx context.Context, render func(context.Context) ([]byte, error), log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	body, err := render(ctx)
	d.mu.Lock()
	if err == nil {
		d.body = body
	}
	d.busy = false
	d.mu.Unlock()
	if err != nil && log != nil {
		log.Warn("discovery: background refresh failed; serving the previous document", "err", err)
	}
}

// discoveryDocs holds the discovery documents that are the same for every
// request: host-meta and the NodeInfo index depend on the configuration only
// and are rendered once; NodeInfo is a refreshedDoc. The zero value is ready;
// now and usage are seams for tests (nil: the wall clock, the service).
type discoveryDocs struct {
	once          sync.Once
	hostMetaXML   []byte
	hostMetaJSON  []byte
	nodeinfoIndex []byte

	nodeinfo refreshedDoc
	now      func() time.Time
	usage    func(context.Context) (nodeinfoUsage, error)
}

// static renders the configuration-only documents on first use.
func (f *Federation) static() *discoveryDocs {
	d := &f.discovery
	d.once.Do(func() {
		d.hostMetaXML, d.hostMetaJSON = renderHostMeta(f.cfg.Server.PublicURL)
		d.nodeinfoIndex = renderNodeinfoIndex(f.cfg.Server.PublicURL)
	})
	return d
}
