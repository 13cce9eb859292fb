package federation

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
)

// Which signature a delivery carries, per recipient inbox:
//
//   - RFC 9421 with Ed25519 (keyid = our actor's Multikey id) when an actor
//     behind that inbox (its inbox, or its server's shared inbox) accepts it
//     (models.Actor.AcceptsEd25519): it lists an Ed25519 FEP-521a Multikey in
//     assertionMethod AND its generator implements RFC 9421 Ed25519
//     (FEP-844e), as commonsd, Mitra and tootik advertise. Signing costs
//     ~25 µs instead of ~1 ms for RSA-2048: what lets a fan-out to such peers
//     go ~20x faster.
//   - draft-cavage rsa-sha256 (keyId = publicKey, RSA) for everyone else
//     (Mastodon, GoToSocial, Lemmy, Misskey… and Fedify).
//
// A Multikey alone is not enough: Fedify 2.3 lists Ed25519 Multikeys (for
// Object Integrity Proofs) but looks HTTP-signature keys up in publicKey only,
// and answers 401 to an Ed25519 RFC 9421 signature (tested against the Fedify
// peer). As a safety net, an Ed25519-signed POST answered 401 is re-sent at
// once signed with RSA, and Ed25519 is not tried on that host again for
// ed25519RefusedFor (in memory: after a restart it costs one more 401).

// sigChoiceTTL bounds how long a per-inbox answer is reused. A negative answer
// is also dropped as soon as any actor row changes (the recipient may just have
// been fetched with its Multikey).
const sigChoiceTTL = 10 * time.Minute

// ed25519RefusedFor is how long a host that refused an Ed25519 signature gets
// RSA only.
const ed25519RefusedFor = 24 * time.Hour

type sigChoice struct {
	// counters since start, by signature kind (SignatureCounts)
	inEd25519, inRSA, outEd25519, outRSA, refusedEd25519 atomic.Int64

	mu      sync.Mutex
	inboxes map[string]inboxSig
	refused map[string]time.Time // host → Ed25519 not tried until
}

type inboxSig struct {
	ed  bool
	at  time.Time
	gen int64
}

// useEd25519 reports whether the delivery to inbox (on host) is signed with
// Ed25519. A store error answers false (RSA works everywhere).
func (f *Federation) useEd25519(ctx context.Context, inbox, host string) bool {
	now := time.Now()
	gen := f.svc.Store.ActorsGeneration()
	c := &f.sigs
	c.mu.Lock()
	if until, ok := c.refused[host]; ok {
		if now.Before(until) {
			c.mu.Unlock()
			return false
		}
		delete(c.refused, host)
	}
	e, ok := c.inboxes[inbox]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < sigChoiceTTL && (e.ed || e.gen == gen) {
		return e.ed
	}
	ed, err := f.svc.Store.InboxTakesEd25519(ctx, inbox)
	if err != nil {
		f.log.Warn("delivery: signature choice", "inbox", inbox, "err", err)
		return false
	}
	c.mu.Lock()
	if c.inboxes == nil || len(c.inboxes) >= 50000 {
		c.inboxes = map[string]inboxSig{}
	}
	c.inboxes[inbox] = inboxSig{ed: ed, at: now, gen: gen}
	c.mu.Unlock()
	return ed
}

// ed25519Refused records that host answered 401 to an Ed25519 signature.
func (f *Federation) ed25519Refused(host string) {
	c := &f.sigs
	c.refusedEd25519.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == nil || len(c.refused) >= 10000 {
		c.refused = map[string]time.Time{}
	}
	c.refused[host] = time.Now().Add(ed25519RefusedFor)
}

// SignatureCounts are the signatures handled since start, by kind.
type SignatureCounts struct {
	// InboxEd25519 and InboxRSA count inbox POSTs whose signature verified,
	// by the signer's key type.
	InboxEd25519, InboxRSA int64
	// SentEd25519 and SentRSA count signed delivery POSTs; Ed25519Refused
	// counts Ed25519 POSTs answered 401 (each was re-sent with RSA).
	SentEd25519, SentRSA, Ed25519Refused int64
}

// SignatureCounts reports the signatures handled since start.
func (f *Federation) SignatureCounts() SignatureCounts {
	c := &f.sigs
	return SignatureCounts{InboxEd25519: c.inEd25519.Load(), InboxRSA: c.inRSA.Load(),
		SentEd25519: c.outEd25519.Load(), SentRSA: c.outRSA.Load(), Ed25519Refused: c.refusedEd25519.Load()}
}

// countInbound counts a verified inbox signature.
func (f *Federation) countInbound(k *signing.Key) {
	if k.Ed25519 != nil {
		f.sigs.inEd25519.Add(1)
	} else {
		f.sigs.inRSA.Add(1)
	}
}
