package signing

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-fed/httpsig"
)

var (
	signedHeadersPOST = []string{httpsig.RequestTarget, "host", "date", "digest"}
	signedHeadersGET  = []string{httpsig.RequestTarget, "host", "date"}
)

// SignRequest signs r with draft-cavage HTTP Signatures the way Mastodon
// expects, using go-fed/httpsig. With a body (even empty, non-nil) it sets
// "Digest: SHA-256=<b64>" and signs "(request-target) host date digest";
// without (a GET) it signs "(request-target) host date". It sets the Date
// header from now and a Host header (Go keeps Host out of r.Header, and the
// transport ignores Header["Host"], so this only feeds the signer).
//
// go-fed's Signer is not safe for concurrent use, so one is made per call;
// it costs ~1 µs next to the ~1 ms RSA-2048 signature. A request that
// already carries Signature or Digest returns ErrAlreadySigned: build a new
// request for every attempt.
func SignRequest(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	if key == nil {
		return errors.New("signing: nil private key")
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	if alreadySigned(r.Header) {
		return ErrAlreadySigned
	}
	host := requestHost(r)
	if host == "" {
		return errors.New("signing: request has no host")
	}
	headers := signedHeadersGET
	if body != nil {
		headers = signedHeadersPOST
	}
	s, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256,
		headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	r.Header.Set("Host", host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	// go-fed writes r.URL.Path (decoded) into (request-target): give it the
	// path as it goes on the wire. Headers are shared with r.
	path, query, _ := wireTarget(r)
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery = path, "", query
	r2 := *r
	r2.URL = &u
	if err := s.SignRequest(key, keyID, &r2, body); err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	return nil
}

func alreadySigned(h http.Header) bool {
	for _, k := range []string{"Signature", "Signature-Input", "Digest", "Content-Digest"} {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// SignRequestRFC9421 signs r with RFC 9421 HTTP Message Signatures in
// Fedify's format: label sig1, components "@method" "@target-uri"
// "@authority", then "content-type" if set and "content-digest" if body is
// non-nil (it sets Content-Digest: sha-256=:b64:, RFC 9530), parameters
// created, keyid and alg="rsa-v1_5-sha256". r.URL must be absolute.
func SignRequestRFC9421(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	if key == nil {
		return errors.New("signing: nil private key")
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	if alreadySigned(r.Header) {
		return ErrAlreadySigned
	}
	t := newTarget(r, r.URL.Scheme)
	if t.scheme == "" || t.authority == "" {
		return errors.New("signing: RFC 9421 signing needs an absolute URL")
	}
	comps := []sfItem{{kind: sfString, s: "@method"}, {kind: sfString, s: "@target-uri"}, {kind: sfString, s: "@authority"}}
	if r.Header.Get("Content-Type") != "" {
		comps = append(comps, sfItem{kind: sfString, s: "content-type"})
	}
	if body != nil {
		r.Header.Set("Content-Digest", contentDigestSHA256(body))
		comps = append(comps, sfItem{kind: sfString, s: "content-digest"})
	}
	params := []sfParam{
		{key: "created", val: sfItem{kind: sfInteger, i: now.Unix()}},
		{key: "keyid", val: sfItem{kind: sfString, s: keyID}},
		{key: "alg", val: sfItem{kind: sfString, s: algRSAv15SHA256}},
	}
	base, err := t.signatureBase(comps, params)
	if err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	h := sha256.Sum256(base)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	r.Header.Set("Signature-Input", string(appendInnerList([]byte("sig1="), comps, params)))
	r.Header.Set("Signature", string(sfItem{kind: sfBytes, b: sig}.appendBare([]byte("sig1="))))
	return nil
}
