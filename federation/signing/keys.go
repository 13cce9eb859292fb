package signing

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// Key is a signer's public key as published in its actor document
// (the security-v1 publicKey object).
type Key struct {
	// ID is the key's id, usually "<actor>#main-key". It is what a
	// signature's keyId names.
	ID string
	// Owner is the actor that owns the key (publicKey.owner). Verify only
	// proves that Owner signed the request: checking that Owner is the
	// activity's actor is the caller's job.
	Owner string
	// Public is the RSA public key (publicKey.publicKeyPem), for
	// draft-cavage and RFC 9421 rsa-* signatures. Nil for an Ed25519 key.
	Public *rsa.PublicKey
	// Ed25519 is the Ed25519 public key of a FEP-521a Multikey the owner
	// lists in assertionMethod, for RFC 9421 alg="ed25519" signatures. A Key
	// holds one of Public and Ed25519, never both: each key id names one key.
	Ed25519 ed25519.PublicKey
}

// Key sizes we accept from peers. Go refuses anything under 1024 bits;
// huge moduli make verification slow enough to be a denial of service.
const (
	minKeyBits = 1024
	maxKeyBits = 8192
)

// GenerateKey returns a new RSA-2048 key, the size every fediverse server
// uses and expects.
func GenerateKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
}

// EncodePrivateKey encodes key as a PKCS#8 "PRIVATE KEY" PEM block.
func EncodePrivateKey(key *rsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// DecodePrivateKey decodes a PKCS#8 "PRIVATE KEY" PEM block. It also accepts
// a PKCS#1 "RSA PRIVATE KEY" block, the format Mastodon stores keys in, so
// that keys can be imported.
func DecodePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("signing: no PEM block in private key")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("signing: private key is %T, not RSA", k)
		}
		return rk, nil
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing: private key is neither PKCS#8 nor PKCS#1: %w", err)
	}
	return k, nil
}

// EncodePublicKey encodes key as a PKIX "PUBLIC KEY" PEM block, the form
// ActivityPub actors publish in publicKey.publicKeyPem.
func EncodePublicKey(key *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// DecodePublicKey decodes a publicKeyPem. It accepts PKIX ("PUBLIC KEY") and
// PKCS#1 ("RSA PUBLIC KEY") DER whatever the block's label says, because
// some servers publish one under the other's label. It rejects non-RSA keys
// and RSA keys outside 1024..8192 bits.
func DecodePublicKey(data []byte) (*rsa.PublicKey, error) {
	// Some servers double-escape newlines in JSON.
	if !strings.Contains(string(data), "\n") && strings.Contains(string(data), `\n`) {
		data = []byte(strings.ReplaceAll(string(data), `\n`, "\n"))
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("signing: no PEM block in public key")
	}
	var pub *rsa.PublicKey
	if k, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("signing: public key is %T, not RSA", k)
		}
		pub = rk
	} else if rk, err2 := x509.ParsePKCS1PublicKey(block.Bytes); err2 == nil {
		pub = rk
	} else {
		return nil, fmt.Errorf("signing: public key is neither PKIX nor PKCS#1: %w", err)
	}
	if err := checkKeySize(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

func checkKeySize(pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil {
		return errors.New("signing: nil RSA public key")
	}
	if n := pub.N.BitLen(); n < minKeyBits || n > maxKeyBits {
		return fmt.Errorf("signing: RSA key of %d bits not accepted", n)
	}
	return nil
}
