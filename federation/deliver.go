package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/version"
)

// ActivityJSON implements queue.ActivitySource: the stored body of our activity.
// Bodies never change once stored, and a fan-out asks for the same one once per
// inbox, so recent ones are kept in memory.
func (f *Federation) ActivityJSON(ctx context.Context, id string) ([]byte, error) {
	f.bodies.mu.Lock()
	b, ok := f.bodies.m[id]
	f.bodies.mu.Unlock()
	if ok {
		return b, nil
	}
	a, err := f.svc.Store.ActivityByID(ctx, id)
	if err != nil {
		return nil, queue.Permanent(fmt.Errorf("activity %s: %w", id, err))
	}
	b = []byte(a.Raw)
	f.bodies.mu.Lock()
	if f.bodies.m == nil || len(f.bodies.m) >= 256 {
		f.bodies.m = map[string][]byte{}
	}
	f.bodies.m[id] = b
	f.bodies.mu.Unlock()
	return b, nil
}

// bodyCache holds recently delivered activity bodies by id.
type bodyCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Post implements queue.Poster: one signed POST, with a fresh request per attempt
// (a request can be signed once only).
func (f *Federation) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	if host := hostOf(inbox); !f.policy.Allowed(host) {
		return 0, 0, queue.Permanent(fmt.Errorf("domain %s is blocked", host))
	}
	key, keyID, err := f.signingKey(ctx, actorID)
	if err != nil {
		return 0, 0, queue.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, 0, queue.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("User-Agent", f.userAgent())
	if err := signing.SignRequest(req, keyID, key, body, time.Now()); err != nil {
		return 0, 0, queue.Permanent(err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	var retry time.Duration
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			retry = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(s); err == nil {
			retry = time.Until(t)
		}
	}
	return resp.StatusCode, retry, nil
}

func (f *Federation) userAgent() string {
	return "commonsd/" + version.Version + " (+" + f.cfg.Server.PublicURL + ")"
}

// keyCache keeps opened private keys: unsealing and parsing one per delivery would
// cost more than the queue itself.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]cachedKey
}

type cachedKey struct {
	key   *rsa.PrivateKey
	keyID string
}

func (f *Federation) signingKey(ctx context.Context, actorID string) (*rsa.PrivateKey, string, error) {
	f.keys.mu.Lock()
	k, ok := f.keys.keys[actorID]
	f.keys.mu.Unlock()
	if ok {
		return k.key, k.keyID, nil
	}
	act, err := f.svc.Store.ActorByID(ctx, actorID)
	if err != nil {
		return nil, "", err
	}
	key, err := f.svc.Actors.PrivateKey(act)
	if err != nil {
		return nil, "", err
	}
	key.Precompute()
	f.keys.mu.Lock()
	if len(f.keys.keys) > 10000 {
		f.keys.keys = map[string]cachedKey{}
	}
	f.keys.keys[actorID] = cachedKey{key: key, keyID: act.PublicKeyID}
	f.keys.mu.Unlock()
	return key, act.PublicKeyID, nil
}
