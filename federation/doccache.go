package federation

import (
	"sync"
	"time"
)

// docCacheTTL bounds how stale a cached actor or WebFinger document can be in a
// process that did not make the change itself (several processes on one
// PostgreSQL); the process that changes an actor drops its entries at once.
const docCacheTTL = 2 * time.Second

// docCache keeps rendered discovery documents (actor JSON, WebFinger JRD): they
// are the most fetched URLs of an instance — every remote server fetches them —
// and rendering them cost a query and a go-fed serialisation per request.
type docCache struct {
	mu  sync.Mutex
	gen func() int64
	m   map[string]cachedDoc
}

type cachedDoc struct {
	body []byte
	gen  int64
	at   time.Time
}

func newDocCache(gen func() int64) *docCache {
	return &docCache{gen: gen, m: map[string]cachedDoc{}}
}

// get returns a cached body, or renders and caches it. Errors are not cached.
func (c *docCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	gen := c.gen()
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.gen == gen && time.Since(e.at) < docCacheTTL {
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
	c.m[key] = cachedDoc{body: body, gen: gen, at: time.Now()}
	c.mu.Unlock()
	return body, nil
}
