package signing

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"net/http"
	"testing"
	"time"
)

func BenchmarkSignPOST(b *testing.B) {
	alice, _ := testKeys(b)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		r, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
		r.Header.Set("Content-Type", "application/activity+json")
		if err := SignRequest(r, aliceKeyID, alice, activity, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyPOST: draft-cavage with Date and Digest checks, key cached.
func BenchmarkVerifyPOST(b *testing.B) {
	alice, _ := testKeys(b)
	now := time.Now()
	r := signedRequest(b, http.MethodPost, inboxURL, alice, activity, now)
	v := newVerifier(aliceFetcher(b), now)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r, activity); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRFC9421(b *testing.B) {
	alice, _ := testKeys(b)
	now := time.Now()
	r := signedRFC9421(b, http.MethodPost, inboxURL, alice, activity, now)
	v := newVerifier(aliceFetcher(b), now)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r, activity); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSASignRaw is the ceiling for signing: one RSA-2048 PKCS#1 v1.5
// signature of a SHA-256.
func BenchmarkRSASignRaw(b *testing.B) {
	alice, _ := testKeys(b)
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.Sum256(activity)
		if _, err := rsa.SignPKCS1v15(rand.Reader, alice, crypto.SHA256, h[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSAVerifyRaw is the ceiling for verification.
func BenchmarkRSAVerifyRaw(b *testing.B) {
	alice, _ := testKeys(b)
	h := sha256.Sum256(activity)
	sig, _ := rsa.SignPKCS1v15(rand.Reader, alice, crypto.SHA256, h[:])
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.Sum256(activity)
		if err := rsa.VerifyPKCS1v15(&alice.PublicKey, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}
