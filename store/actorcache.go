package store

import (
	"sync"
	"time"

	"github.com/commonsd/commonsd/models"
)

// ActorCacheTTL bounds how long an actor read by its URI is answered from
// memory. Inside this process every change to an actor drops the cache at
// once (the actors generation); the TTL bounds what another process of the
// same instance (role web beside role worker) may have changed meanwhile.
var ActorCacheTTL = 5 * time.Second

// actorCacheMax bounds the entries; past it the cache starts afresh.
const actorCacheMax = 4096

// actorCache answers ActorByURI and ActorByHandle from memory (keys: the URI,
// or "@user@domain" lower-cased): processing one inbound activity
// looks up its sender, each local actor it mentions or addresses, and the
// community it might be posted to, several times over; on SQLite each lookup
// costs about as much CPU as the note's INSERT; a per-user inbox looks its
// user up by handle before anything else. Entries are copies, and a hit
// hands out a copy, so callers may change what they get.
type actorCache struct {
	mu      sync.Mutex
	gen     int64 // the actors generation the entries belong to
	entries map[string]actorEntry
}

type actorEntry struct {
	a  models.Actor
	at time.Time
}

func (c *actorCache) get(key string, gen int64, now time.Time) (*models.Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil, false
	}
	e, ok := c.entries[key]
	if !ok || now.Sub(e.at) >= ActorCacheTTL {
		return nil, false
	}
	a := e.a
	return &a, true
}

// put remembers a read at generation gen (read before the query): an entry
// read while the generation moved is not kept.
func (c *actorCache) put(key string, a *models.Actor, gen int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.entries == nil || len(c.entries) >= actorCacheMax {
		if gen < c.gen {
			return
		}
		c.gen, c.entries = gen, map[string]actorEntry{}
	}
	c.entries[key] = actorEntry{a: *a, at: now}
}
