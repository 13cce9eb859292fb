package accounts

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/commonsd/commonsd/models"
)

// Keys seals actors' private keys at rest with AES-256-GCM under the instance
// secret, so a leaked database dump alone does not let anyone sign as our actors.
type Keys struct {
	aead cipher.AEAD
	mac  []byte // HMAC key derived from the same secret (MAC)
}

// LoadKeys uses the configured secret, or creates and keeps one in dataDir/secret.key.
func LoadKeys(secret, dataDir string) (*Keys, error) {
	if secret == "" {
		path := filepath.Join(dataDir, "secret.key")
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			secret = strings.TrimSpace(string(b))
		case errors.Is(err, os.ErrNotExist):
			raw := make([]byte, 32)
			if _, err := rand.Read(raw); err != nil {
				return nil, err
			}
			secret = hex.EncodeToString(raw)
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return nil, fmt.Errorf("secret key: %w", err)
			}
			if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("secret key: %w", err)
			}
		default:
			return nil, fmt.Errorf("secret key: %w", err)
		}
	}
	sum := sha256.Sum256([]byte(secret))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	macKey := sha256.Sum256([]byte("commonsd mac key v1\x00" + secret))
	return &Keys{aead: aead, mac: macKey[:]}, nil
}

// MAC is HMAC-SHA256 of msg under a key derived from the instance secret,
// separated by purpose (e.g. "unsubscribe"): for signed links that need no
// database row. Verify with hmac.Equal.
func (k *Keys) MAC(purpose string, msg []byte) []byte {
	h := hmac.New(sha256.New, k.mac)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write(msg)
	return h.Sum(nil)
}

// NewKeyPair makes an RSA-2048 key: the sealed private key and the public PEM.
func (k *Keys) NewKeyPair() (sealed []byte, publicPEM string, err error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, "", err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, "", err
	}
	if sealed, err = k.seal(der); err != nil {
		return nil, "", err
	}
	return sealed, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), nil
}

// NewEd25519Pair makes an Ed25519 key: the sealed PKCS#8 private key and the
// public key as a FEP-521a publicKeyMultibase ("z6Mk…").
func (k *Keys) NewEd25519Pair() (sealed []byte, multibase string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, "", err
	}
	sealed, err = k.seal(der)
	if err != nil {
		return nil, "", err
	}
	return sealed, models.EncodeMultikey(pub), nil
}

func (k *Keys) seal(der []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return k.aead.Seal(nonce, nonce, der, nil), nil
}

func (k *Keys) open(sealed []byte) (any, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed key too short")
	}
	der, err := k.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return nil, fmt.Errorf("open private key (wrong security.secret_key?): %w", err)
	}
	return x509.ParsePKCS8PrivateKey(der)
}

// PrivateEd25519 opens a sealed Ed25519 private key.
func (k *Keys) PrivateEd25519(sealed []byte) (ed25519.PrivateKey, error) {
	key, err := k.open(sealed)
	if err != nil {
		return nil, err
	}
	ek, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("private key is not Ed25519")
	}
	return ek, nil
}

// Private opens a sealed private key.
func (k *Keys) Private(sealed []byte) (*rsa.PrivateKey, error) {
	key, err := k.open(sealed)
	if err != nil {
		return nil, err
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("private key is not RSA")
	}
	return rk, nil
}
