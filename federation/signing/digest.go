package signing

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"net/http"
	"strings"
)

// checkDigest checks a draft-cavage Digest header (RFC 3230) against body.
// Several digests may be listed ("SHA-256=..., SHA-512=..."), in one or
// several header lines; algorithm names are case-insensitive. A SHA-256
// digest is required and every SHA-256 entry must match; other algorithms
// are ignored.
func checkDigest(h http.Header, body []byte) error {
	vals := h.Values("Digest")
	if len(vals) == 0 {
		return missing("digest")
	}
	var sum [sha256.Size]byte
	computed := false
	found := false
	for _, line := range vals {
		for tok := range strings.SplitSeq(line, ",") {
			tok = strings.TrimSpace(tok)
			alg, val, ok := strings.Cut(tok, "=")
			if !ok {
				return fail(ErrDigestMismatch, "malformed Digest entry")
			}
			if !strings.EqualFold(strings.TrimSpace(alg), "sha-256") {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
			if err != nil {
				return fail(ErrDigestMismatch, "Digest SHA-256 is not base64")
			}
			if !computed {
				sum = sha256.Sum256(body)
				computed = true
			}
			if !bytes.Equal(got, sum[:]) {
				return fail(ErrDigestMismatch, "Digest SHA-256 differs from the body's")
			}
			found = true
		}
	}
	if !found {
		return fail(ErrDigestMismatch, "Digest has no SHA-256 entry")
	}
	return nil
}

// checkContentDigest checks an RFC 9530 Content-Digest header
// ("sha-256=:b64:, sha-512=:b64:") against body. At least one of sha-256 or
// sha-512 must be present and every one present must match; unknown
// algorithms are ignored.
func checkContentDigest(h http.Header, body []byte) error {
	vals := h.Values("Content-Digest")
	if len(vals) == 0 {
		return missing("content-digest")
	}
	dict, err := parseSFDictionary(strings.Join(vals, ", "))
	if err != nil {
		return fail(ErrDigestMismatch, "malformed Content-Digest")
	}
	found := false
	for _, m := range dict {
		var want []byte
		switch m.key {
		case "sha-256":
			s := sha256.Sum256(body)
			want = s[:]
		case "sha-512":
			s := sha512.Sum512(body)
			want = s[:]
		default:
			continue
		}
		if m.inner || m.item.kind != sfBytes {
			return fail(ErrDigestMismatch, "malformed Content-Digest %s", m.key)
		}
		if !bytes.Equal(m.item.b, want) {
			return fail(ErrDigestMismatch, "Content-Digest %s differs from the body's", m.key)
		}
		found = true
	}
	if !found {
		return fail(ErrDigestMismatch, "Content-Digest has neither sha-256 nor sha-512")
	}
	return nil
}

func contentDigestSHA256(body []byte) string {
	s := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(s[:]) + ":"
}
