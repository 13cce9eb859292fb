package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/queue"
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
// (a request can be signed once only). The signature is chosen per inbox (see
// sigchoice.go): RFC 9421 Ed25519 toward servers whose actors advertise an
// Ed25519 Multikey, draft-cavage RSA otherwise; an Ed25519 POST answered 401 is
// re-sent at once with RSA, and that host gets RSA from then on.
func (f *Federation) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	host := hostOf(inbox)
	if !f.policy.Allowed(host) {
		return 0, 0, queue.Permanent(fmt.Errorf("domain %s is blocked", host))
	}
	k, err := f.signingKey(ctx, actorID)
	if err != nil {
		return 0, 0, queue.Permanent(err)
	}
	if k.ed != nil && f.useEd25519(ctx, inbox, host) {
		status, retry, err := f.post(ctx, k, true, inbox, body)
		if err != nil || status != http.StatusUnauthorized {
			return status, retry, err
		}
		f.log.Info("delivery: Ed25519 signature refused; using RSA for this host", "host", host)
		f.ed25519Refused(host)
	}
	return f.post(ctx, k, false, inbox, body)
}

// post sends one POST signed with Ed25519 (ed) or RSA.
func (f *Federation) post(ctx context.Context, k cachedKey, ed bool, inbox string, body []byte) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, 0, queue.Permanent(err)
	}
	// Canonical keys assigned directly: Set would canonicalise them again on
	// every delivery. The slices are not modified by net/http.
	req.Header["Content-Type"] = activityJSONType
	req.Header["User-Agent"] = f.userAgent
	if ed {
		err = signing.SignRequestEd25519(req, k.edKeyID, k.ed, body, time.Now())
	} else {
		err = signing.SignRequest(req, k.keyID, k.key, body, time.Now())
	}
	if err != nil {
		return 0, 0, queue.Permanent(err)
	}
	if ed {
		f.sigs.outEd25519.Add(1)
	} else {
		f.sigs.outRSA.Add(1)
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

// activityJSONType is the Content-Type header value of deliveries.
var activityJSONType = []string{"application/activity+json"}

// keyCache keeps opened private keys: unsealing and parsing one per delivery would
// cost more than the queue itself.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]cachedKey
}

type cachedKey struct {
	key     *rsa.PrivateKey
	keyID   string
	ed      ed25519.PrivateKey // nil: the actor has no Ed25519 key (RSA only)
	edKeyID string
}

func (f *Federation) signingKey(ctx context.Context, actorID string) (cachedKey, error) {
	f.keys.mu.Lock()
	k, ok := f.keys.keys[actorID]
	f.keys.mu.Unlock()
	if ok {
		return k, nil
	}
	act, err := f.svc.Store.ActorByID(ctx, actorID)
	if err != nil {
		return cachedKey{}, err
	}
	key, err := f.svc.Actors.PrivateKey(act)
	if err != nil {
		return cachedKey{}, err
	}
	key.Precompute()
	k = cachedKey{key: key, keyID: act.PublicKeyID}
	if act.Ed25519KeyID != "" && len(act.Ed25519PrivateKey) > 0 {
		ed, err := f.svc.Actors.Ed25519PrivateKey(act)
		if err != nil {
			return cachedKey{}, err
		}
		k.ed, k.edKeyID = ed, act.Ed25519KeyID
	}
	f.keys.mu.Lock()
	if len(f.keys.keys) > 10000 {
		f.keys.keys = map[string]cachedKey{}
	}
	f.keys.keys[actorID] = k
	f.keys.mu.Unlock()
	return k, nil
}
