package fetch

import (
	"sync"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
)

// keyCacheTTL bounds how long a parsed public key is used without looking at the
// actors table again. Rotation does not wait for it: a failed verification asks
// FetchKey with refresh=true, which bypasses and replaces the entry.
const keyCacheTTL = 10 * time.Minute

// keyCache keeps parsed public keys in memory: every signed inbox POST needs one,
// and a database read plus PEM parsing per request was a visible share of the
// inbox's cost.
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	key *signing.Key
	at  time.Time
}

func (c *keyCache) get(keyID string) *signing.Key {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[keyID]
	if !ok || time.Since(e.at) > keyCacheTTL {
		return nil
	}
	return e.key
}

// remember stores a successful lookup and passes its result through.
func (c *keyCache) remember(keyID string, k *signing.Key, err error) (*signing.Key, error) {
	if err != nil || k == nil {
		return k, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 50000 {
		c.m = map[string]cachedKey{}
	}
	c.m[keyID] = cachedKey{key: k, at: time.Now()}
	return k, nil
}
