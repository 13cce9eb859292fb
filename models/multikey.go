package models

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
)

// multicodecEd25519Pub is the multicodec prefix of an Ed25519 public key
// (0xed as an unsigned varint), as FEP-521a and the Multikey spec use it.
var multicodecEd25519Pub = [2]byte{0xed, 0x01}

// EncodeMultikey encodes an Ed25519 public key as the publicKeyMultibase of a
// FEP-521a Multikey: "z" (base58btc) over 0xed01 ‖ the 32 key bytes; the
// result always starts with "z6Mk". It is the form Actor.Ed25519PublicKey holds.
func EncodeMultikey(pub ed25519.PublicKey) string {
	b := make([]byte, 0, 2+ed25519.PublicKeySize)
	b = append(b, multicodecEd25519Pub[:]...)
	b = append(b, pub...)
	return "z" + base58.Encode(b)
}

// DecodeMultikey decodes a publicKeyMultibase holding an Ed25519 public key.
// Any other multibase (not "z") or multicodec (not ed25519-pub) is an error:
// RSA or P-256 Multikeys are not used for HTTP signatures here.
func DecodeMultikey(s string) (ed25519.PublicKey, error) {
	if len(s) < 2 || s[0] != 'z' || len(s) > 64 {
		return nil, errors.New("publicKeyMultibase is not base58btc")
	}
	b, err := base58.Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("publicKeyMultibase: %w", err)
	}
	if len(b) != 2+ed25519.PublicKeySize || b[0] != multicodecEd25519Pub[0] || b[1] != multicodecEd25519Pub[1] {
		return nil, errors.New("publicKeyMultibase is not an ed25519-pub key")
	}
	return ed25519.PublicKey(b[2:]), nil
}
