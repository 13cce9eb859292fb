package signing

// RFC 9421 HTTP Message Signatures, hand-written: the only Go library on our
// module proxy (github.com/yaronf/httpsign v0.3.2) pulls in lestrrat-go/jwx
// and a dozen other modules for the two RSA algorithms we need.

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

const (
	algRSAv15SHA256 = "rsa-v1_5-sha256"
	algRSAPSSSHA512 = "rsa-pss-sha512"
)

// target is what the derived components are computed from.
type target struct {
	method    string
	scheme    string
	authority string // normalized
	host      string // raw Host, for a covered "host" field
	path      string
	query     string
	hasQuery  bool
	header    http.Header
}

func newTarget(r *http.Request, scheme string) *target {
	scheme = strings.ToLower(scheme)
	host := requestHost(r)
	path, query, hasQuery := wireTarget(r)
	return &target{
		method:    r.Method,
		scheme:    scheme,
		authority: normalizeAuthority(scheme, host),
		host:      host,
		path:      path,
		query:     query,
		hasQuery:  hasQuery,
		header:    r.Header,
	}
}

func (t *target) pathQuery() string {
	if t.hasQuery {
		return t.path + "?" + t.query
	}
	return t.path
}

// component returns the value of one covered component (RFC 9421 §2).
func (t *target) component(name string) (string, error) {
	switch name {
	case "@method":
		return t.method, nil
	case "@target-uri":
		return t.scheme + "://" + t.authority + t.pathQuery(), nil
	case "@authority":
		return t.authority, nil
	case "@scheme":
		return t.scheme, nil
	case "@request-target":
		return t.pathQuery(), nil
	case "@path":
		return t.path, nil
	case "@query":
		return "?" + t.query, nil
	}
	if strings.HasPrefix(name, "@") {
		return "", fail(ErrMalformedSignature, "unsupported derived component %q", name)
	}
	if name == "" || name != strings.ToLower(name) {
		return "", fail(ErrMalformedSignature, "bad component name %q", name)
	}
	if name == "host" {
		if t.host == "" {
			return "", missing("host")
		}
		return t.host, nil
	}
	vals, ok := t.header[textproto.CanonicalMIMEHeaderKey(name)]
	if !ok {
		return "", missing(name)
	}
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(v))
	}
	return b.String(), nil
}

// signatureBase builds the signature base of RFC 9421 §2.5.
func (t *target) signatureBase(comps []sfItem, params []sfParam) ([]byte, error) {
	b := make([]byte, 0, 512)
	for i, c := range comps {
		if c.kind != sfString {
			return nil, fail(ErrMalformedSignature, "component is not a string")
		}
		if len(c.params) > 0 {
			return nil, fail(ErrMalformedSignature, "component parameters are not supported")
		}
		for _, d := range comps[:i] {
			if d.s == c.s {
				return nil, fail(ErrMalformedSignature, "duplicate component %q", c.s)
			}
		}
		v, err := t.component(c.s)
		if err != nil {
			return nil, err
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, fail(ErrMalformedSignature, "newline in component %q", c.s)
		}
		b = append(b, '"')
		b = append(b, c.s...)
		b = append(b, `": `...)
		b = append(b, v...)
		b = append(b, '\n')
	}
	b = append(b, `"@signature-params": `...)
	return appendInnerList(b, comps, params), nil
}

type rfc9421Sig struct {
	comps            []sfItem
	params           []sfParam
	sig              []byte
	keyID, alg       string
	created, expires int64
	hasCreated       bool
	hasExpires       bool
}

// parseRFC9421 picks the first signature of Signature-Input that has a
// value in Signature; any further signatures are ignored.
func parseRFC9421(h http.Header) (*rfc9421Sig, error) {
	in, err := parseSFDictionary(strings.Join(h.Values("Signature-Input"), ", "))
	if err != nil {
		return nil, fail(ErrMalformedSignature, "Signature-Input: %v", err)
	}
	sigs, err := parseSFDictionary(strings.Join(h.Values("Signature"), ", "))
	if err != nil {
		return nil, fail(ErrMalformedSignature, "Signature: %v", err)
	}
	for _, m := range in {
		if !m.inner {
			continue
		}
		for _, s := range sigs {
			if s.key != m.key {
				continue
			}
			if s.inner || s.item.kind != sfBytes {
				return nil, fail(ErrMalformedSignature, "signature %q is not a byte sequence", m.key)
			}
			out := &rfc9421Sig{comps: m.list, params: m.lp, sig: s.item.b}
			for _, p := range m.lp {
				switch p.key {
				case "keyid", "alg":
					if p.val.kind != sfString {
						return nil, fail(ErrMalformedSignature, "%s is not a string", p.key)
					}
					if p.key == "keyid" {
						out.keyID = p.val.s
					} else {
						out.alg = p.val.s
					}
				case "created", "expires":
					if p.val.kind != sfInteger {
						return nil, fail(ErrMalformedSignature, "%s is not an integer", p.key)
					}
					if p.key == "created" {
						out.created, out.hasCreated = p.val.i, true
					} else {
						out.expires, out.hasExpires = p.val.i, true
					}
				}
			}
			if out.keyID == "" {
				return nil, fail(ErrMalformedSignature, "no keyid")
			}
			return out, nil
		}
	}
	return nil, fail(ErrMalformedSignature, "no signature matches Signature-Input")
}

func (v *Verifier) verifyRFC9421(ctx context.Context, r *http.Request, body []byte, now time.Time) (*Key, error) {
	s, err := parseRFC9421(r.Header)
	if err != nil {
		return nil, err
	}
	switch s.alg {
	case "", algRSAv15SHA256, algRSAPSSSHA512, AlgEd25519:
	default:
		return nil, fail(ErrUnsupportedAlgorithm, "alg %q", s.alg)
	}
	covered := make(map[string]bool, len(s.comps))
	for _, c := range s.comps {
		covered[c.s] = true
	}
	// Coverage: the method, the target (with the authority) and, with a
	// body, its digest.
	if !covered["@method"] {
		return nil, missing("@method")
	}
	if !covered["@target-uri"] {
		if !covered["@request-target"] && !covered["@path"] {
			return nil, missing("@target-uri")
		}
		if !covered["@authority"] && !covered["host"] {
			return nil, missing("@authority")
		}
	}
	hasBody := requestHasBody(r, body)
	if hasBody && !covered["content-digest"] {
		return nil, missing("content-digest")
	}
	// Time window: created, or a covered Date.
	skew := v.maxSkew()
	if s.hasCreated {
		if d := now.Sub(time.Unix(s.created, 0)); d > skew || d < -skew {
			return nil, fail(ErrDateSkew, "created is %v from now", -d)
		}
	} else if covered["date"] {
		if err := checkDate(r.Header, now, skew); err != nil {
			return nil, err
		}
	} else {
		return nil, missing("created")
	}
	if s.hasExpires && now.After(time.Unix(s.expires, 0).Add(expiresSlack)) {
		return nil, fail(ErrDateSkew, "signature expired")
	}
	if hasBody {
		if err := checkContentDigest(r.Header, body); err != nil {
			return nil, err
		}
	}
	t := newTarget(r, v.scheme(r))
	base, err := t.signatureBase(s.comps, s.params)
	if err != nil {
		return nil, err
	}
	return v.withKey(ctx, s.keyID, func(k *Key) error {
		if k.Ed25519 != nil {
			// alg must agree with the key: an RSA alg over an Ed25519
			// key id (or the reverse) is refused, not reinterpreted.
			if s.alg != "" && s.alg != AlgEd25519 {
				return fail(ErrUnsupportedAlgorithm, "alg %q with the Ed25519 key %s", s.alg, s.keyID)
			}
			if !ed25519.Verify(k.Ed25519, base, s.sig) {
				return fail(ErrBadSignature, "RFC 9421 ed25519 signature does not verify")
			}
			return nil
		}
		var err error
		switch s.alg {
		case AlgEd25519:
			return fail(ErrUnsupportedAlgorithm, "alg %q with the RSA key %s", s.alg, s.keyID)
		case algRSAPSSSHA512:
			h := sha512.Sum512(base)
			err = rsa.VerifyPSS(k.Public, crypto.SHA512, h[:], s.sig, &rsa.PSSOptions{SaltLength: 64, Hash: crypto.SHA512})
		default:
			h := sha256.Sum256(base)
			err = rsa.VerifyPKCS1v15(k.Public, crypto.SHA256, h[:], s.sig)
		}
		if err != nil {
			return fail(ErrBadSignature, "RFC 9421 %v", err)
		}
		return nil
	})
}

func (v *Verifier) scheme(r *http.Request) string {
	switch {
	case v.PublicScheme != "":
		return v.PublicScheme
	case r.URL != nil && r.URL.Scheme != "":
		return r.URL.Scheme
	}
	return "https"
}
