package signing

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const aliceEdKeyID = aliceID + "#ed25519-key"

// mapFetcher serves fixed keys by id.
type mapFetcher map[string]*Key

func (m mapFetcher) FetchKey(_ context.Context, keyID string, _ bool) (*Key, error) {
	if k, ok := m[keyID]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key %s", keyID)
}

func edKeys(t testing.TB) (alice, eve ed25519.PrivateKey) {
	seedA := bytes.Repeat([]byte{1}, ed25519.SeedSize)
	seedE := bytes.Repeat([]byte{2}, ed25519.SeedSize)
	return ed25519.NewKeyFromSeed(seedA), ed25519.NewKeyFromSeed(seedE)
}

// edFetcher knows alice's Ed25519 key under aliceEdKeyID, her RSA key under
// aliceKeyID, and eve's Ed25519 key under her own id.
func edFetcher(t testing.TB) mapFetcher {
	a, e := edKeys(t)
	ra, _ := testKeys(t)
	return mapFetcher{
		aliceEdKeyID: {ID: aliceEdKeyID, Owner: aliceID, Ed25519: a.Public().(ed25519.PublicKey)},
		aliceKeyID:   {ID: aliceKeyID, Owner: aliceID, Public: &ra.PublicKey},
		"https://remote.example/users/eve#ed25519-key": {ID: "https://remote.example/users/eve#ed25519-key",
			Owner: "https://remote.example/users/eve", Ed25519: e.Public().(ed25519.PublicKey)},
	}
}

func signedEd25519(t testing.TB, method, url, keyID string, key ed25519.PrivateKey, body []byte, now time.Time) *http.Request {
	t.Helper()
	cr, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SignRequestEd25519(cr, keyID, key, body, now); err != nil {
		t.Fatal(err)
	}
	return toServer(cr, body)
}

// TestEd25519RFC9421Example verifies the signature of RFC 9421 §B.2.6
// (test-key-ed25519) with our signature base, and that signing the same base
// gives the same bytes (Ed25519 is deterministic).
func TestEd25519RFC9421Example(t *testing.T) {
	privPEM := "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n"
	blk, _ := pem.Decode([]byte(privPEM))
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	priv := k.(ed25519.PrivateKey)
	r := httptest.NewRequest(http.MethodPost, "/foo?param=Value&Pet=dog", strings.NewReader(`{"hello": "world"}`))
	r.Host = "example.com"
	r.Header.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Length", "18")
	in, err := parseSFDictionary(`sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`)
	if err != nil {
		t.Fatal(err)
	}
	base, err := newTarget(r, "https").signatureBase(in[0].list, in[0].lp)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := base64.StdEncoding.DecodeString("wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==")
	if got := ed25519.Sign(priv, base); !bytes.Equal(got, want) {
		t.Fatalf("signature differs from RFC 9421 B.2.6\nbase:\n%s", base)
	}
}

func TestEd25519RoundTrip(t *testing.T) {
	alice, _ := edKeys(t)
	now := time.Now()
	for _, tc := range []struct {
		name, method, url string
		body              []byte
		want              string
	}{
		{"POST", http.MethodPost, inboxURL, activity, `("@method" "@target-uri" "@authority" "content-digest");created=`},
		{"GET", http.MethodGet, "https://local.example/users/bob", nil, `("@method" "@target-uri" "@authority");created=`},
		{"GET with query", http.MethodGet, outboxURL, nil, `alg="ed25519"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := signedEd25519(t, tc.method, tc.url, aliceEdKeyID, alice, tc.body, now)
			if in := r.Header.Get("Signature-Input"); !strings.Contains(in, tc.want) || !strings.Contains(in, `keyid="`+aliceEdKeyID+`"`) {
				t.Fatalf("Signature-Input = %s", in)
			}
			if tc.body != nil && r.Header.Get("Content-Digest") != contentDigestSHA256(tc.body) {
				t.Fatalf("Content-Digest = %q", r.Header.Get("Content-Digest"))
			}
			key, err := newVerifier(edFetcher(t), now).Verify(context.Background(), r, tc.body)
			if err != nil || key.Owner != aliceID || key.Ed25519 == nil {
				t.Fatalf("Verify = %+v, %v", key, err)
			}
		})
	}
}

// TestEd25519Hostile: what an attacker can do to an Ed25519-signed request.
func TestEd25519Hostile(t *testing.T) {
	alice, eve := edKeys(t)
	rsaAlice, _ := testKeys(t)
	now := time.Now()
	post := func(t *testing.T) *http.Request {
		return signedEd25519(t, http.MethodPost, inboxURL, aliceEdKeyID, alice, activity, now)
	}
	edit := func(old, new string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), old, new, 1))
			return r
		}
	}
	other := []byte(`{"type":"Delete"}`)
	for _, tc := range []struct {
		name    string
		req     func(t *testing.T) *http.Request
		body    []byte
		want    error
		missing string
	}{
		{name: "rsa alg over the Ed25519 key", want: ErrUnsupportedAlgorithm, req: edit(`alg="ed25519"`, `alg="rsa-v1_5-sha256"`)},
		{name: "unknown alg", want: ErrUnsupportedAlgorithm, req: edit(`alg="ed25519"`, `alg="ed448"`)},
		{name: "ed25519 alg over an RSA key id", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request {
			return signedEd25519(t, http.MethodPost, inboxURL, aliceKeyID, alice, activity, now)
		}},
		{name: "RSA signature under the Ed25519 key id", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			cr, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
			if err := SignRequestRFC9421(cr, aliceEdKeyID, rsaAlice, activity, now); err != nil {
				t.Fatal(err)
			}
			r := toServer(cr, activity)
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), `;alg="rsa-v1_5-sha256"`, "", 1))
			return r
		}},
		{name: "signed by eve, alice's key id", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			return signedEd25519(t, http.MethodPost, inboxURL, aliceEdKeyID, eve, activity, now)
		}},
		{name: "body replaced", body: other, want: ErrDigestMismatch, req: post},
		{name: "body and Content-Digest replaced", body: other, want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Content-Digest", contentDigestSHA256(other))
			return r
		}},
		{name: "Content-Digest garbled", want: ErrDigestMismatch, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Content-Digest", "sha-256=:AAAA:")
			return r
		}},
		{name: "content-digest not covered", missing: "content-digest", req: edit(` "content-digest"`, "")},
		{name: "unknown derived component", want: ErrMalformedSignature, req: edit(`"@authority"`, `"@authority" "@frobnicate"`)},
		{name: "component with parameters", want: ErrMalformedSignature, req: edit(`"@authority"`, `"@authority";sf`)},
		{name: "covered header absent", missing: "x-absent", req: edit(`"@authority"`, `"@authority" "x-absent"`)},
		{name: "created 2 h ago (replay)", want: ErrDateSkew, req: func(t *testing.T) *http.Request {
			return signedEd25519(t, http.MethodPost, inboxURL, aliceEdKeyID, alice, activity, now.Add(-2*time.Hour))
		}},
		{name: "created 2 h ahead", want: ErrDateSkew, req: func(t *testing.T) *http.Request {
			return signedEd25519(t, http.MethodPost, inboxURL, aliceEdKeyID, alice, activity, now.Add(2*time.Hour))
		}},
		{name: "expired", want: ErrDateSkew, req: edit(`;keyid=`, fmt.Sprintf(";expires=%d;keyid=", now.Add(-10*time.Minute).Unix()))},
		{name: "other host (replayed elsewhere)", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Host = "evil.example"
			return r
		}},
		{name: "signature truncated", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(make([]byte, 10))+":")
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == nil {
				body = activity
			}
			key, err := newVerifier(edFetcher(t), now).Verify(context.Background(), tc.req(t), body)
			checkErr(t, key, err, tc.want, tc.missing)
		})
	}
}

// TestEd25519KeyOfAnotherActor: Verify reports the owner of the key that
// verified; a request by eve signed with eve's key says eve, whatever the
// body claims (the inbox then refuses an actor that is not the owner).
func TestEd25519KeyOfAnotherActor(t *testing.T) {
	_, eve := edKeys(t)
	now := time.Now()
	r := signedEd25519(t, http.MethodPost, inboxURL, "https://remote.example/users/eve#ed25519-key", eve, activity, now)
	key, err := newVerifier(edFetcher(t), now).Verify(context.Background(), r, activity)
	if err != nil || key.Owner != "https://remote.example/users/eve" {
		t.Fatalf("Verify = %+v, %v; want eve as owner", key, err)
	}
}

// TestEd25519Cavage: a draft-cavage signature naming an Ed25519 key id is refused.
func TestEd25519Cavage(t *testing.T) {
	rsaAlice, _ := testKeys(t)
	now := time.Now()
	cr, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
	if err := SignRequest(cr, aliceEdKeyID, rsaAlice, activity, now); err != nil {
		t.Fatal(err)
	}
	key, err := newVerifier(edFetcher(t), now).Verify(context.Background(), toServer(cr, activity), activity)
	checkErr(t, key, err, ErrUnsupportedAlgorithm, "")
}

func BenchmarkSignEd25519POST(b *testing.B) {
	alice, _ := edKeys(b)
	now := time.Now()
	for b.Loop() {
		r, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
		if err := SignRequestEd25519(r, aliceEdKeyID, alice, activity, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyEd25519POST(b *testing.B) {
	alice, _ := edKeys(b)
	now := time.Now()
	r := signedEd25519(b, http.MethodPost, inboxURL, aliceEdKeyID, alice, activity, now)
	v := newVerifier(edFetcher(b), now)
	for b.Loop() {
		if _, err := v.Verify(context.Background(), r, activity); err != nil {
			b.Fatal(err)
		}
	}
}
