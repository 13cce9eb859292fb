package signing

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// KeyFetcher gives Verify the public key a signature's keyId names. The
// caller implements it: fetch the actor or key document (with a signed GET
// for peers in authorized-fetch mode), check it, and cache it.
//
// refresh=true means "bypass the cache": Verify asks for it at most once per
// request, after a signature failed with the key it got first, so that a
// peer's key rotation heals itself. Since a forged request can trigger that
// refresh, implementations should rate-limit refreshes per key (e.g. one a
// minute) and return the cached key meanwhile.
//
// The returned Key's ID need not equal keyID (some servers use the actor
// URL as keyId); its Owner is what Verify reports as the signer.
type KeyFetcher interface {
	FetchKey(ctx context.Context, keyID string, refresh bool) (*Key, error)
}

// DefaultMaxSkew is the Date window Mastodon and Fedify use.
const DefaultMaxSkew = time.Hour

// expiresSlack is the clock tolerance for an (expires) or expires
// parameter in the past.
const expiresSlack = time.Minute

// Verifier checks draft-cavage and RFC 9421 signatures on incoming requests.
// It is safe for concurrent use once set up.
//
// There is no "require a signature on GET" switch: Verify always answers
// ErrNoSignature for an unsigned request, and the handler decides whether
// that is fatal (authorized fetch) or means "anonymous".
type Verifier struct {
	// Keys fetches signers' keys. Required.
	Keys KeyFetcher
	// MaxSkew bounds |now - Date| and |now - created|. Zero means
	// DefaultMaxSkew (1 h).
	MaxSkew time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// PublicScheme is the scheme ("https") clients used to reach us, needed
	// to rebuild RFC 9421 @target-uri and @scheme behind a reverse proxy,
	// where r.URL has no scheme. The authority comes from r.Host. Empty
	// means r.URL.Scheme, else "https".
	PublicScheme string
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

// Verify checks the request's signature and returns the signer's key. body
// is the request body, already read by the caller (nil for a GET). It
// proves only WHO signed: the caller must check that the returned
// Key.Owner is the activity's actor (or the object's attributedTo) before
// trusting the content.
//
// Draft-cavage ("Signature" or "Authorization: Signature"): the signature
// must cover (request-target), date or (created), host, and digest with a
// body (a POST); Date/(created) must lie within ±MaxSkew and Digest must carry
// the body's SHA-256. algorithm may be rsa-sha256, hs2019 or absent (RSA).
// A GET signed over the path without its query string is accepted too
// (Fedify signs it so).
//
// RFC 9421 ("Signature-Input" present): the first signature must cover
// @method, the target (@target-uri, or @request-target/@path with
// @authority/host) and content-digest with a body; created must be within
// ±MaxSkew (or date covered) and Content-Digest must match the body. Algs:
// rsa-v1_5-sha256 and rsa-pss-sha512 with an RSA key, ed25519 with an
// Ed25519 key (a FEP-521a Multikey); an absent alg follows the key's type.
// An alg that does not match the key's type is refused.
//
// go-fed/httpsig also checks a draft-cavage created parameter against the
// wall clock (time.Now, 10 s tolerance), whatever Now says.
//
// If the signature fails with the key first fetched, the key is fetched
// once more with refresh=true and tried again if it changed.
//
// Errors wrap the sentinels of this package or are *MissingHeaderError;
// ClientMessage turns them into a client-safe text.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Key, error) {
	if v.Keys == nil {
		return nil, fail(ErrKeyFetch, "Verifier has no KeyFetcher")
	}
	if r.URL == nil {
		return nil, fail(ErrMalformedSignature, "request has no URL")
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if _, ok := r.Header["Signature-Input"]; ok {
		return v.verifyRFC9421(ctx, r, body, now)
	}
	return v.verifyCavage(ctx, r, body, now)
}

// requestHasBody: a POST or PUT needs a digest even if the caller forgot to
// pass its body.
func requestHasBody(r *http.Request, body []byte) bool {
	return body != nil || (r.Method != http.MethodGet && r.Method != http.MethodHead)
}

type cavageSig struct {
	keyID, algorithm, signature string
	headers                     []string
	created, expires            string // digits, as sent
}

// cavageValue finds the draft-cavage signature parameters.
func cavageValue(h http.Header) (string, error) {
	var auth string
	for _, a := range h.Values("Authorization") {
		if len(a) > 10 && strings.EqualFold(a[:10], "signature ") {
			if auth != "" {
				return "", fail(ErrMalformedSignature, "several Authorization signatures")
			}
			auth = a[10:]
		}
	}
	sigs := h.Values("Signature")
	switch {
	case len(sigs) > 1:
		return "", fail(ErrMalformedSignature, "several Signature headers")
	case len(sigs) == 1 && auth != "":
		return "", fail(ErrMalformedSignature, "both Signature and Authorization")
	case len(sigs) == 1:
		return sigs[0], nil
	case auth != "":
		return auth, nil
	}
	return "", ErrNoSignature
}

// parseCavage parses `keyId="..",algorithm="..",headers="..",signature=".."`
// properly (quoted strings may hold commas, OWS around separators), rejects
// duplicate parameters and ignores unknown ones.
func parseCavage(s string) (*cavageSig, error) {
	out := &cavageSig{}
	seen := map[string]bool{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq <= 0 {
			return nil, fail(ErrMalformedSignature, "parameter without value")
		}
		name := strings.ToLower(strings.TrimSpace(s[i : i+eq]))
		i += eq + 1
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		var val string
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				i++
				if c == '\\' && i < len(s) {
					b.WriteByte(s[i])
					i++
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return nil, fail(ErrMalformedSignature, "unterminated quoted string")
			}
			val = b.String()
		} else {
			end := strings.IndexByte(s[i:], ',')
			if end < 0 {
				end = len(s) - i
			}
			val = strings.TrimSpace(s[i : i+end])
			i += end
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] != ',' {
			return nil, fail(ErrMalformedSignature, "garbage after parameter %q", name)
		}
		if seen[name] {
			return nil, fail(ErrMalformedSignature, "duplicate parameter %q", name)
		}
		seen[name] = true
		switch name {
		case "keyid":
			out.keyID = val
		case "algorithm":
			out.algorithm = val
		case "headers":
			out.headers = strings.Fields(strings.ToLower(val))
		case "signature":
			out.signature = val
		case "created":
			out.created = val
		case "expires":
			out.expires = val
		}
	}
	if out.keyID == "" || out.signature == "" {
		return nil, fail(ErrMalformedSignature, "keyId or signature missing")
	}
	if !seen["headers"] {
		out.headers = []string{"date"} // the draft's default
	}
	// These values are handed to go-fed's naive parser: keep them simple.
	if strings.ContainsAny(out.signature, `", `) || !isDigits(out.created) || !isDigits(out.expires) {
		return nil, fail(ErrMalformedSignature, "bad signature, created or expires value")
	}
	for _, h := range out.headers {
		if strings.ContainsAny(h, `",`) {
			return nil, fail(ErrMalformedSignature, "bad header name")
		}
	}
	return out, nil
}

func isDigits(s string) bool {
	if len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkDate(h http.Header, now time.Time, skew time.Duration) error {
	ds := h.Get("Date")
	if ds == "" {
		return missing("date")
	}
	d, err := http.ParseTime(ds)
	if err != nil {
		return fail(ErrMalformedSignature, "unparseable Date")
	}
	if diff := now.Sub(d); diff > skew || diff < -skew {
		return fail(ErrDateSkew, "Date is %v from now", -diff)
	}
	return nil
}

func (v *Verifier) verifyCavage(ctx context.Context, r *http.Request, body []byte, now time.Time) (*Key, error) {
	raw, err := cavageValue(r.Header)
	if err != nil {
		return nil, err
	}
	cs, err := parseCavage(raw)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(cs.algorithm) {
	case "", "hs2019", "rsa-sha256":
	default:
		return nil, fail(ErrUnsupportedAlgorithm, "algorithm %q", cs.algorithm)
	}
	covered := make(map[string]bool, len(cs.headers))
	for _, h := range cs.headers {
		covered[h] = true
	}
	hasBody := requestHasBody(r, body)
	switch {
	case !covered[httpsig.RequestTarget]:
		return nil, missing(httpsig.RequestTarget)
	case !covered["date"] && !covered["(created)"]:
		return nil, missing("date")
	case hasBody && !covered["digest"]:
		return nil, missing("digest")
	case !covered["host"]:
		// Without host, a signed request to one server can be replayed
		// to another within the Date window.
		return nil, missing("host")
	}
	skew := v.maxSkew()
	if covered["date"] {
		if err := checkDate(r.Header, now, skew); err != nil {
			return nil, err
		}
	}
	if covered["(created)"] {
		if cs.created == "" {
			return nil, fail(ErrMalformedSignature, "(created) signed without created")
		}
		c, _ := strconv.ParseInt(cs.created, 10, 64)
		if d := now.Sub(time.Unix(c, 0)); d > skew || d < -skew {
			return nil, fail(ErrDateSkew, "created is %v from now", -d)
		}
	}
	if cs.expires != "" {
		e, _ := strconv.ParseInt(cs.expires, 10, 64)
		if now.After(time.Unix(e, 0).Add(expiresSlack)) {
			return nil, fail(ErrDateSkew, "signature expired")
		}
	}
	if hasBody {
		if err := checkDigest(r.Header, body); err != nil {
			return nil, err
		}
	}

	// Hand go-fed a request holding only the signed headers and a Signature
	// header re-serialized from what we parsed, so that it verifies exactly
	// the header list we checked above (its own parser splits on every
	// comma and ignores parameters after ", ").
	h := make(http.Header, len(cs.headers)+1)
	for _, name := range cs.headers {
		if name[0] == '(' {
			continue
		}
		ck := textproto.CanonicalMIMEHeaderKey(name)
		if vals, ok := r.Header[ck]; ok {
			h[ck] = vals
		} else if ck == "Host" && r.Host != "" {
			h[ck] = []string{r.Host}
		} else {
			return nil, missing(name)
		}
	}
	var sb strings.Builder
	sb.WriteString(`keyId="k",algorithm="hs2019",headers="`)
	sb.WriteString(strings.Join(cs.headers, " "))
	sb.WriteString(`",signature="`)
	sb.WriteString(cs.signature)
	sb.WriteByte('"')
	if cs.created != "" {
		sb.WriteString(",created=" + cs.created)
	}
	if cs.expires != "" {
		sb.WriteString(",expires=" + cs.expires)
	}
	h["Signature"] = []string{sb.String()}

	path, query, hasQuery := wireTarget(r)
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery, u.ForceQuery = path, "", query, false
	r2 := &http.Request{Method: r.Method, URL: &u, Header: h, Host: r.Host}
	gv, err := httpsig.NewVerifier(r2)
	if err != nil {
		if strings.Contains(err.Error(), "future") || strings.Contains(err.Error(), "expired") {
			return nil, fail(ErrDateSkew, "%v", err)
		}
		return nil, fail(ErrMalformedSignature, "%v", err)
	}
	// A GET may be signed over the path alone (Fedify).
	var gvNoQuery httpsig.Verifier
	if hasQuery && query != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		u2 := u
		u2.RawQuery = ""
		r3 := *r2
		r3.URL = &u2
		if gvNoQuery, err = httpsig.NewVerifier(&r3); err != nil {
			return nil, fail(ErrMalformedSignature, "%v", err)
		}
	}
	return v.withKey(ctx, cs.keyID, func(k *Key) error {
		if k.Public == nil {
			return fail(ErrUnsupportedAlgorithm, "draft-cavage signature with the non-RSA key %s", cs.keyID)
		}
		err := gv.Verify(k.Public, httpsig.RSA_SHA256)
		if err != nil && gvNoQuery != nil {
			err = gvNoQuery.Verify(k.Public, httpsig.RSA_SHA256)
		}
		if err != nil {
			return fail(ErrBadSignature, "%v", err)
		}
		return nil
	})
}

// withKey fetches the key, runs check, and on a failure refreshes the key
// once and retries if it changed (a rotated key, or an RSA key id that now
// names an Ed25519 key).
func (v *Verifier) withKey(ctx context.Context, keyID string, check func(*Key) error) (*Key, error) {
	key, err := v.fetch(ctx, keyID, false)
	if err != nil {
		return nil, err
	}
	err = check(key)
	if err == nil {
		return key, nil
	}
	fresh, ferr := v.fetch(ctx, keyID, true)
	if ferr != nil {
		return nil, fail(ErrBadSignature, "%v (refresh: %v)", err, ferr)
	}
	if sameKey(fresh, key) {
		return nil, err
	}
	if err := check(fresh); err != nil {
		return nil, err
	}
	return fresh, nil
}

func sameKey(a, b *Key) bool {
	if (a.Public == nil) != (b.Public == nil) || (a.Public != nil && !a.Public.Equal(b.Public)) {
		return false
	}
	return a.Ed25519.Equal(b.Ed25519)
}

func (v *Verifier) fetch(ctx context.Context, keyID string, refresh bool) (*Key, error) {
	key, err := v.Keys.FetchKey(ctx, keyID, refresh)
	if err != nil {
		return nil, fail(ErrKeyFetch, "%s: %v", keyID, err)
	}
	if key == nil || (key.Public == nil) == (key.Ed25519 == nil) {
		return nil, fail(ErrKeyFetch, "%s: no key, or two", keyID)
	}
	if key.Public != nil {
		if err := checkKeySize(key.Public); err != nil {
			return nil, fail(ErrKeyFetch, "%s: %v", keyID, err)
		}
	} else if len(key.Ed25519) != ed25519.PublicKeySize {
		return nil, fail(ErrKeyFetch, "%s: bad Ed25519 key", keyID)
	}
	return key, nil
}
