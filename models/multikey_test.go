package models

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
)

func TestMultikey(t *testing.T) {
	alice := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	pub := alice.Public().(ed25519.PublicKey)
	mk := EncodeMultikey(pub)
	if !strings.HasPrefix(mk, "z6Mk") {
		t.Fatalf("multikey %q does not start with z6Mk", mk)
	}
	got, err := DecodeMultikey(mk)
	if err != nil || !got.Equal(pub) {
		t.Fatalf("DecodeMultikey = %x, %v", got, err)
	}
	// The example of the Multikey spec (W3C Controlled Identifiers §2.2.2)
	// decodes to an ed25519-pub key.
	if k, err := DecodeMultikey("z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"); err != nil || len(k) != 32 {
		t.Fatalf("spec example: %x, %v", k, err)
	}
	raw := append([]byte{0xed, 0x01}, pub...)
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"base64 multibase", "m" + base64.RawStdEncoding.EncodeToString(raw)},
		{"not base58", "z0OIl"},
		{"RSA multicodec", "z" + base58.Encode(append([]byte{0x85, 0x24}, pub...))},
		{"short key", "z" + base58.Encode(raw[:20])},
		{"long key", "z" + base58.Encode(append(raw, 0))},
		{"huge", "z" + strings.Repeat("2", 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if k, err := DecodeMultikey(tc.in); err == nil {
				t.Fatalf("accepted %q as %x", tc.in, k)
			}
		})
	}
}
