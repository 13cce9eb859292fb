package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Actor returns the actor whose id is uri from the actors table when it was
// fetched less than ActorTTL ago and refresh is false; otherwise it fetches
// the actor document (signed by the instance actor), validates it and
// upserts it. A URI on our own host is looked up in the store, never
// fetched. A blocked domain gives ErrBlockedDomain even when cached.
//
// Validation: an actor type; publicKey present with owner == id, a key id
// on the actor's host and a decodable RSA key; an http(s) inbox; the origin
// check of Object (the id lives on the host that served it).
//
// Conversion (convert.RemoteActor): Domain is the id's lower-case
// host[:port] (default port dropped), Username its preferredUsername (else
// the last path segment). Storing it (refreshes, renaming a reassigned handle, never overwriting a
// local actor) is the service's: service.Actors.UpsertRemote.
//
// When a refetch of a cached actor fails for a reason other than 404, 410
// or policy, and refresh is false, the stale row is returned.
func (f *Fetcher) Actor(ctx context.Context, uri string, refresh bool) (*models.Actor, error) {
	u, err := url.Parse(strings.TrimSpace(uri))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%w: %q", ErrInvalidURL, uri)
	}
	u.Fragment, u.RawFragment = "", ""
	uri = u.String()
	if f.isLocal(u) {
		return f.localActor(ctx, uri)
	}
	if err := checkTarget(u, f.policy); err != nil {
		return nil, err
	}
	cached, err := f.st.ActorByURI(ctx, uri)
	switch {
	case err == nil && cached.Local():
		return cached, nil
	case err == nil && !refresh && f.fresh(cached):
		return cached, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	if ctx.Value(offlineKey{}) != nil {
		// Before the shared flight: a caller online must not get this error.
		return nil, fmt.Errorf("actor %s: %w", u.Redacted(), ErrOffline)
	}
	ch := f.sf.DoChan("actor "+uri, func() (any, error) {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		obj, r, err := f.object(c, uri, nil, false)
		if err != nil {
			return nil, err
		}
		return f.saveActor(c, obj, r)
	})
	var res singleflightResult
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		res = singleflightResult{r.Val, r.Err}
	}
	if res.err != nil {
		if cached != nil && !refresh && transient(res.err) {
			f.log.Info("fetch: refreshing actor failed; using the cached copy", "uri", uri, "err", res.err)
			return cached, nil
		}
		return nil, res.err
	}
	return res.val.(*models.Actor), nil
}

type singleflightResult struct {
	val any
	err error
}

// transient reports whether a failed fetch may be retried later with the
// cached copy standing in meanwhile.
func transient(err error) bool {
	for _, e := range []error{ErrNotFound, ErrGone, ErrBlockedDomain, ErrInvalidURL, ErrLocal} {
		if errors.Is(err, e) {
			return false
		}
	}
	return true
}

func (f *Fetcher) fresh(a *models.Actor) bool {
	return a.FetchedAt != nil && f.Now().Sub(*a.FetchedAt) < f.ActorTTL
}

// localActor reads one of our own actors.
func (f *Fetcher) localActor(ctx context.Context, uri string) (*models.Actor, error) {
	a, err := f.st.ActorByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!a.Local() || a.Suspended)) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, uri)
	}
	return a, err
}

// validateActor checks an actor document and returns its decoded key.
func validateActor(obj *vocab.Object) error {
	if !obj.IsActor() {
		return fmt.Errorf("%w: %s is a %s", ErrNotActor, obj.ID, obj.Type)
	}
	host := hostOf(obj.ID)
	if !isHTTPURL(obj.Inbox) {
		return fmt.Errorf("%w: %s has no inbox", ErrInvalidActor, obj.ID)
	}
	pk := obj.PublicKey
	if pk == nil || pk.PublicKeyPEM == "" {
		return fmt.Errorf("%w: %s has no publicKey", ErrInvalidActor, obj.ID)
	}
	if pk.Owner != obj.ID {
		return fmt.Errorf("%w: %s: publicKey.owner is %q", ErrInvalidActor, obj.ID, pk.Owner)
	}
	if pk.ID == "" || hostOf(pk.ID) != host {
		return fmt.Errorf("%w: %s: publicKey.id %q is not on the actor's host", ErrInvalidActor, obj.ID, pk.ID)
	}
	if _, err := signing.DecodePublicKey([]byte(pk.PublicKeyPEM)); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalidActor, obj.ID, err)
	}
	return nil
}

// saveActor validates a fetched actor document and has the service upsert it
// (the service owns the rules of storing it: see service.Actors.UpsertRemote).
func (f *Fetcher) saveActor(ctx context.Context, obj *vocab.Object, r *response) (*models.Actor, error) {
	if err := validateActor(obj); err != nil {
		return nil, err
	}
	domain := hostOf(obj.ID)
	if domain == "" || domain == f.publicHost || domain != canonicalHost(r.final) {
		return nil, fmt.Errorf("%w: actor %s served by %s", ErrOrigin, obj.ID, r.final.Redacted())
	}
	return f.keys.UpsertRemote(ctx, convert.RemoteActor(obj, domain, f.Now()))
}

func isHTTPURL(s string) bool { return s != "" && content.SafeURL(s) == s }

// FetchKey implements signing.KeyFetcher. The key is looked up in the
// actors table by key id (the RSA publicKey's, then the Ed25519 Multikey's,
// then by actor URI, for servers whose keyId is the actor URL); otherwise
// keyID without its fragment is fetched. An actor document must publish keyID
// as its publicKey.id, or as the id of the Ed25519 Multikey in its
// assertionMethod that convert.RemoteActor keeps (an Ed25519 key: the
// Multikey id must be on the actor's host and its controller the actor), or
// keyID is its own id; a key document ({"id", "owner", "publicKeyPem"}) is accepted
// when its owner, fetched from its own origin on the key's host, publishes
// the same key. The Owner of the returned key is the actor's URI.
//
// refresh=true bypasses the cache at most once per KeyRefreshInterval per
// key id; within the interval the cached key is returned, so that forged
// signatures cannot make us hammer a server. Blocked domains are refused
// even when cached.
func (f *Fetcher) FetchKey(ctx context.Context, keyID string, refresh bool) (*signing.Key, error) {
	keyID = strings.TrimSpace(keyID)
	u, err := url.Parse(keyID)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%w: key id %q", ErrInvalidURL, keyID)
	}
	local := f.isLocal(u)
	if !local {
		if err := checkTarget(u, f.policy); err != nil {
			return nil, err
		}
	}
	if refresh && !local && !f.mayRefresh(keyID) {
		refresh = false
	}
	if !refresh {
		if k := f.keyCache.get(keyID); k != nil {
			return k, nil
		}
	}
	if !refresh || local {
		if a, err := f.cachedKeyOwner(ctx, keyID); err != nil {
			return nil, err
		} else if a != nil {
			k, err := keyOf(a, keyID)
			return f.keyCache.remember(keyID, k, err)
		}
		if local {
			return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, keyID)
		}
	}
	doc := stripFragment(keyID)
	r, err := f.fetch(ctx, doc, nil, AcceptActivityPub, true)
	if err != nil {
		return nil, err
	}
	var a *models.Actor
	if kd, ok := keyDocument(r.body); ok {
		a, err = f.keyDocOwner(ctx, keyID, kd, r, refresh)
	} else {
		var obj *vocab.Object
		if obj, r, err = f.checked(ctx, doc, r, nil, false); err == nil {
			if kd, stub := actorStub(obj, doc); stub {
				a, err = f.keyDocOwner(ctx, keyID, kd, r, refresh)
			} else {
				a, err = f.saveActor(ctx, obj, r)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if a.PublicKeyID != keyID && a.URI != keyID && a.Ed25519KeyID != keyID {
		return nil, fmt.Errorf("%w: %s publishes %s, not %s", ErrKeyNotFound, a.URI, a.PublicKeyID, keyID)
	}
	k, err := keyOf(a, keyID)
	return f.keyCache.remember(keyID, k, err)
}

// cachedKeyOwner finds the stored actor owning keyID, or nil.
func (f *Fetcher) cachedKeyOwner(ctx context.Context, keyID string) (*models.Actor, error) {
	a, err := f.st.ActorByKeyID(ctx, keyID)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if a, err = f.st.ActorByEd25519KeyID(ctx, keyID); err == nil {
		return a, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	a, err = f.st.ActorByURI(ctx, keyID)
	if err == nil && a.PublicKeyPEM != "" {
		return a, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return nil, nil
}

// keyDoc is a public key as a key document names it: its id, its owner
// (the actor) and its PEM.
type keyDoc struct {
	ID, Owner, PEM string
}

// keyDocument recognises a stand-alone key document
// ({"id", "owner", "publicKeyPem"}), as some servers serve at a keyId of
// its own. It is read with the strict tokenizer and exact member names, as
// every fetched document is (a case-insensitive reader would take "Owner"
// or a second "owner" for the owner).
func keyDocument(body []byte) (keyDoc, bool) {
	m, err := vocab.DecodeStrict(body)
	if err != nil {
		return keyDoc{}, false
	}
	id, idOK := m["id"].(string)
	owner, _ := m["owner"].(string)
	pem, _ := m["publicKeyPem"].(string)
	if (!idOK && m["id"] != nil) || owner == "" || pem == "" {
		return keyDoc{}, false
	}
	return keyDoc{ID: id, Owner: owner, PEM: pem}, true
}

// actorStub recognises what GoToSocial serves at its keyId
// (…/users/NAME/main-key, no fragment): a minimal actor whose id is the
// actor's URL, not the URL fetched, with only preferredUsername and
// publicKey. Such a document stands for its publicKey: the actor itself is
// fetched from its own id (never stored from the stub, which has no inbox).
// An actor document served at its own URL (Mastodon's actor#main-key) is
// not a stub.
func actorStub(obj *vocab.Object, fetched string) (keyDoc, bool) {
	if stripFragment(obj.ID) == stripFragment(fetched) || obj.PublicKey == nil || obj.PublicKey.PublicKeyPEM == "" {
		return keyDoc{}, false
	}
	owner := obj.PublicKey.Owner
	if owner == "" {
		owner = obj.ID
	}
	if owner != obj.ID {
		// A document naming one actor and a key of another is neither.
		return keyDoc{}, false
	}
	return keyDoc{ID: obj.PublicKey.ID, Owner: owner, PEM: obj.PublicKey.PublicKeyPEM}, true
}

// keyDocOwner resolves the owner of a key document (or actor stub) and
// checks, as Mastodon does, that the owner's own actor document publishes
// that key: the same key id and the same public key. The owner is fetched
// from its own URL on the key's host. When a cached owner publishes another
// key, it is refetched once (the key may have been rotated since).
func (f *Fetcher) keyDocOwner(ctx context.Context, keyID string, kd keyDoc, r *response, refresh bool) (*models.Actor, error) {
	if stripFragment(kd.ID) != stripFragment(keyID) || hostOf(kd.ID) != canonicalHost(r.final) {
		return nil, fmt.Errorf("%w: key %s served as %s by %s", ErrOrigin, keyID, kd.ID, r.final.Redacted())
	}
	if hostOf(kd.Owner) != hostOf(kd.ID) {
		return nil, fmt.Errorf("%w: key %s has owner %s on another host", ErrOrigin, kd.ID, kd.Owner)
	}
	served, err := signing.DecodePublicKey([]byte(kd.PEM))
	if err != nil {
		return nil, fmt.Errorf("%w: key %s: %v", ErrInvalidActor, kd.ID, err)
	}
	publishes := func(a *models.Actor) error {
		if a.PublicKeyID != kd.ID && a.PublicKeyID != keyID {
			return fmt.Errorf("%w: %s does not publish %s", ErrKeyNotFound, kd.Owner, kd.ID)
		}
		pub, err := signing.DecodePublicKey([]byte(a.PublicKeyPEM))
		if err != nil || !pub.Equal(served) {
			return fmt.Errorf("%w: %s publishes another key than %s serves", ErrKeyNotFound, kd.Owner, kd.ID)
		}
		return nil
	}
	a, err := f.Actor(ctx, kd.Owner, refresh)
	if err != nil {
		return nil, err
	}
	if err := publishes(a); err != nil {
		if refresh || a.Local() {
			return nil, err
		}
		if a, err = f.Actor(ctx, kd.Owner, true); err != nil {
			return nil, err
		}
		if err := publishes(a); err != nil {
			return nil, err
		}
	}
	// Report the key under the id the signer used.
	k := *a
	k.PublicKeyID = keyID
	return &k, nil
}

// mayRefresh rate-limits cache-bypassing refreshes per key id.
func (f *Fetcher) mayRefresh(keyID string) bool {
	now := f.Now()
	f.refMu.Lock()
	defer f.refMu.Unlock()
	if last, ok := f.lastRefresh[keyID]; ok && now.Sub(last) < f.KeyRefreshInterval {
		return false
	}
	if len(f.lastRefresh) > 10000 {
		for k, t := range f.lastRefresh {
			if now.Sub(t) >= f.KeyRefreshInterval {
				delete(f.lastRefresh, k)
			}
		}
	}
	f.lastRefresh[keyID] = now
	return true
}

// keyOf is the key keyID names on actor a: its Ed25519 Multikey when keyID is
// that key's id (an Ed25519 key id that a has stopped publishing is not
// found), else its RSA publicKey.
func keyOf(a *models.Actor, keyID string) (*signing.Key, error) {
	if a.Ed25519KeyID != "" && keyID == a.Ed25519KeyID {
		pub, err := models.DecodeMultikey(a.Ed25519PublicKey)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalidActor, a.URI, err)
		}
		return &signing.Key{ID: a.Ed25519KeyID, Owner: a.URI, Ed25519: pub}, nil
	}
	pub, err := signing.DecodePublicKey([]byte(a.PublicKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidActor, a.URI, err)
	}
	return &signing.Key{ID: a.PublicKeyID, Owner: a.URI, Public: pub}, nil
}
