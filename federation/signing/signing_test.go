package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	aliceID    = "https://remote.example/users/alice"
	aliceKeyID = aliceID + "#main-key"
	inboxURL   = "https://local.example/users/bob/inbox"
	outboxURL  = "https://local.example/users/bob/outbox?page=true&min_id=0"
)

var (
	keysOnce         sync.Once
	aliceKey, eveKey *rsa.PrivateKey
)

func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	keysOnce.Do(func() {
		var err error
		if aliceKey, err = GenerateKey(); err != nil {
			panic(err)
		}
		if eveKey, err = GenerateKey(); err != nil {
			panic(err)
		}
	})
	return aliceKey, eveKey
}

// fakeFetcher serves keys from memory and counts calls. If stale is set, a
// non-refresh fetch returns it (an outdated cache).
type fakeFetcher struct {
	mu               sync.Mutex
	key, stale       *Key
	err              error
	calls, refreshes int
}

func (f *fakeFetcher) FetchKey(_ context.Context, keyID string, refresh bool) (*Key, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if refresh {
		f.refreshes++
	}
	if f.err != nil {
		return nil, f.err
	}
	if keyID != aliceKeyID {
		return nil, fmt.Errorf("unknown key %s", keyID)
	}
	if !refresh && f.stale != nil {
		return f.stale, nil
	}
	return f.key, nil
}

func aliceFetcher(t testing.TB) *fakeFetcher {
	a, _ := testKeys(t)
	return &fakeFetcher{key: &Key{ID: aliceKeyID, Owner: aliceID, Public: &a.PublicKey}}
}

var activity = []byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/follows/1","type":"Follow","actor":"https://remote.example/users/alice","object":"https://local.example/users/bob"}`)

// toServer turns a client request into what our handler sees: origin-form
// RequestURI, Host in r.Host and not in the header map.
func toServer(cr *http.Request, body []byte) *http.Request {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	sr := httptest.NewRequest(cr.Method, cr.URL.RequestURI(), rd)
	sr.Host = cr.URL.Host
	for k, v := range cr.Header {
		if k != "Host" {
			sr.Header[k] = v
		}
	}
	return sr
}

func signedRequest(t testing.TB, method, url string, key *rsa.PrivateKey, body []byte, now time.Time) *http.Request {
	t.Helper()
	cr, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	cr.Header.Set("Content-Type", "application/activity+json")
	if err := SignRequest(cr, aliceKeyID, key, body, now); err != nil {
		t.Fatal(err)
	}
	return toServer(cr, body)
}

// handSign signs a server-side request by hand with crypto/rsa, building the
// draft-cavage signing string itself (not through go-fed).
func handSign(t testing.TB, r *http.Request, key *rsa.PrivateKey, headers []string, algorithm, requestTarget string) {
	t.Helper()
	var lines []string
	created := ""
	for _, h := range headers {
		switch h {
		case "(created)":
			created = fmt.Sprint(time.Now().Unix())
			lines = append(lines, "(created): "+created)
		case "(request-target)":
			lines = append(lines, "(request-target): "+requestTarget)
		case "host":
			lines = append(lines, "host: "+r.Host)
		default:
			lines = append(lines, h+": "+r.Header.Get(h))
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	alg := ""
	if algorithm != "" {
		alg = `algorithm="` + algorithm + `",`
	}
	if created != "" {
		alg += "created=" + created + ","
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",%sheaders="%s",signature="%s"`,
		aliceKeyID, alg, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
}

// mastodonRequest builds a POST exactly as Mastodon signs it.
func mastodonRequest(t testing.TB, key *rsa.PrivateKey, body []byte, date time.Time, headers []string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", bytes.NewReader(body))
	r.Host = "local.example"
	r.Header.Set("Content-Type", "application/activity+json")
	r.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	sum := sha256.Sum256(body)
	r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	handSign(t, r, key, headers, "rsa-sha256", "post /users/bob/inbox")
	return r
}

var mastodonHeaders = []string{"(request-target)", "host", "date", "digest", "content-type"}

func newVerifier(f KeyFetcher, now time.Time) *Verifier {
	return &Verifier{Keys: f, Now: func() time.Time { return now }, PublicScheme: "https"}
}

func TestRoundTrip(t *testing.T) {
	alice, _ := testKeys(t)
	now := time.Now()
	for _, tc := range []struct {
		name   string
		method string
		url    string
		body   []byte
	}{
		{"POST inbox", http.MethodPost, inboxURL, activity},
		{"POST empty body", http.MethodPost, inboxURL, []byte{}},
		{"GET actor", http.MethodGet, "https://local.example/users/bob", nil},
		{"GET with query", http.MethodGet, outboxURL, nil},
		{"GET percent-encoded path", http.MethodGet, "https://local.example/tags/caf%C3%A9", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := signedRequest(t, tc.method, tc.url, alice, tc.body, now)
			f := aliceFetcher(t)
			key, err := newVerifier(f, now).Verify(context.Background(), r, tc.body)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if key.Owner != aliceID || f.calls != 1 {
				t.Fatalf("owner %q, %d fetches", key.Owner, f.calls)
			}
			if tc.body != nil && !strings.HasPrefix(r.Header.Get("Digest"), "SHA-256=") {
				t.Fatalf("Digest = %q", r.Header.Get("Digest"))
			}
		})
	}
}

func TestMastodonSignedRequest(t *testing.T) {
	alice, _ := testKeys(t)
	now := time.Now()
	for _, tc := range []struct {
		name string
		mod  func(r *http.Request)
	}{
		{"Signature header", func(*http.Request) {}},
		{"Authorization header", func(r *http.Request) {
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
		}},
		{"lowercase sha-256 digest", func(r *http.Request) {
			// Digest is signed, so re-sign after changing its spelling.
			r.Header.Set("Digest", strings.Replace(r.Header.Get("Digest"), "SHA-256=", "sha-256=", 1))
			handSign(t, r, alice, mastodonHeaders, "rsa-sha256", "post /users/bob/inbox")
		}},
		{"several digests", func(r *http.Request) {
			r.Header.Set("Digest", "SHA-512=AAAA,"+r.Header.Get("Digest"))
			handSign(t, r, alice, mastodonHeaders, "hs2019", "post /users/bob/inbox")
		}},
		{"spaces after commas", func(r *http.Request) {
			r.Header.Set("Signature", strings.ReplaceAll(r.Header.Get("Signature"), `",`, `", `))
		}},
		{"(created) instead of date, hs2019", func(r *http.Request) {
			handSign(t, r, alice, []string{"(request-target)", "(created)", "host", "digest"}, "hs2019", "post /users/bob/inbox")
		}},
		{"Fedify's header order", func(r *http.Request) {
			handSign(t, r, alice, []string{"(request-target)", "content-type", "date", "digest", "host"}, "rsa-sha256", "post /users/bob/inbox")
		}},
		{"no algorithm", func(r *http.Request) {
			handSign(t, r, alice, mastodonHeaders, "", "post /users/bob/inbox")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mastodonRequest(t, alice, activity, now, mastodonHeaders)
			tc.mod(r)
			key, err := newVerifier(aliceFetcher(t), now).Verify(context.Background(), r, activity)
			if err != nil || key.Owner != aliceID {
				t.Fatalf("Verify = %v, %v", key, err)
			}
		})
	}
}

func TestHostile(t *testing.T) {
	alice, eve := testKeys(t)
	now := time.Now()
	post := func(t *testing.T) *http.Request {
		return signedRequest(t, http.MethodPost, inboxURL, alice, activity, now)
	}
	for _, tc := range []struct {
		name     string
		req      func(t *testing.T) *http.Request
		body     []byte // nil means activity
		fetchErr error
		want     error  // sentinel, or
		missing  string // MissingHeaderError.Name
	}{
		{name: "no signature", want: ErrNoSignature, req: func(t *testing.T) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/users/bob/inbox", bytes.NewReader(activity))
		}},
		{name: "forged: signed by another key", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			return signedRequest(t, http.MethodPost, inboxURL, eve, activity, now)
		}},
		{name: "Date too old", want: ErrDateSkew, req: func(t *testing.T) *http.Request {
			return signedRequest(t, http.MethodPost, inboxURL, alice, activity, now.Add(-61*time.Minute))
		}},
		{name: "Date in the future", want: ErrDateSkew, req: func(t *testing.T) *http.Request {
			return signedRequest(t, http.MethodPost, inboxURL, alice, activity, now.Add(61*time.Minute))
		}},
		{name: "body replaced after signing", want: ErrDigestMismatch, body: []byte(`{"type":"Delete"}`), req: post},
		{name: "body and Digest replaced, not re-signed", want: ErrBadSignature, body: []byte(`{"type":"Delete"}`),
			req: func(t *testing.T) *http.Request {
				r := post(t)
				sum := sha256.Sum256([]byte(`{"type":"Delete"}`))
				r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
				return r
			}},
		{name: "digest not signed on POST", missing: "digest", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "host", "date"})
		}},
		{name: "date not signed", missing: "date", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "host", "digest"})
		}},
		{name: "request-target not signed", missing: "(request-target)", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"host", "date", "digest"})
		}},
		{name: "no headers parameter", missing: "(request-target)", req: func(t *testing.T) *http.Request {
			r := post(t)
			s := r.Header.Get("Signature")
			i := strings.Index(s, `headers="`)
			j := strings.Index(s[i+9:], `"`)
			r.Header.Set("Signature", s[:i]+s[i+9+j+2:])
			return r
		}},
		{name: "POST without host signed", missing: "host", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "date", "digest", "content-type"})
		}},
		{name: "POST signing only date (the draft's default)", missing: "(request-target)", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"date"})
		}},
		{name: "POST without date or (created)", missing: "date", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "host", "digest", "content-type"})
		}},
		{name: "POST without digest, with host", missing: "digest", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "host", "date", "content-type"})
		}},
		{name: "Fedify order, host left out", missing: "host", req: func(t *testing.T) *http.Request {
			return mastodonRequest(t, alice, activity, now, []string{"(request-target)", "content-type", "date", "digest"})
		}},
		{name: "GET without host signed", missing: "host", body: []byte(nil), req: func(t *testing.T) *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/users/bob", nil)
			r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
			handSign(t, r, alice, []string{"(request-target)", "date"}, "rsa-sha256", "get /users/bob")
			return r
		}},
		{name: "Digest lacks SHA-256", want: ErrDigestMismatch, req: func(t *testing.T) *http.Request {
			r := mastodonRequest(t, alice, activity, now, mastodonHeaders)
			r.Header.Set("Digest", "SHA-512=AAAA")
			handSign(t, r, alice, mastodonHeaders, "rsa-sha256", "post /users/bob/inbox")
			return r
		}},
		{name: "unsupported algorithm", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request {
			r := mastodonRequest(t, alice, activity, now, mastodonHeaders)
			handSign(t, r, alice, mastodonHeaders, "rsa-sha1", "post /users/bob/inbox")
			return r
		}},
		{name: "duplicate headers parameter", want: ErrMalformedSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature", r.Header.Get("Signature")+`,headers="date"`)
			return r
		}},
		{name: "two Signature headers", want: ErrMalformedSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Add("Signature", r.Header.Get("Signature"))
			return r
		}},
		{name: "key fetch fails", want: ErrKeyFetch, fetchErr: errors.New("dial tcp 10.0.0.7:443: refused"), req: post},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := aliceFetcher(t)
			f.err = tc.fetchErr
			body := tc.body
			if body == nil && tc.missing != "host" {
				body = activity
			}
			key, err := newVerifier(f, now).Verify(context.Background(), tc.req(t), body)
			checkErr(t, key, err, tc.want, tc.missing)
		})
	}
}

func checkErr(t *testing.T, key *Key, err, want error, missingName string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Verify accepted the request (key %v)", key)
	}
	if key != nil {
		t.Fatalf("Verify returned a key with error %v", err)
	}
	if missingName != "" {
		var mh *MissingHeaderError
		if !errors.As(err, &mh) || mh.Name != missingName {
			t.Fatalf("err = %v, want MissingHeaderError{%q}", err, missingName)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	if msg := ClientMessage(err); msg != want.Error() {
		t.Fatalf("ClientMessage = %q, want %q", msg, want.Error())
	}
}

func TestKeyRotation(t *testing.T) {
	alice, eve := testKeys(t)
	now := time.Now()
	r := signedRequest(t, http.MethodPost, inboxURL, alice, activity, now)

	f := aliceFetcher(t)
	f.stale = &Key{ID: aliceKeyID, Owner: aliceID, Public: &eve.PublicKey}
	key, err := newVerifier(f, now).Verify(context.Background(), r, activity)
	if err != nil || key.Public != f.key.Public {
		t.Fatalf("Verify after rotation = %v, %v", key, err)
	}
	if f.calls != 2 || f.refreshes != 1 {
		t.Fatalf("%d fetches, %d refreshes; want 2, 1", f.calls, f.refreshes)
	}

	// A forged signature costs one refresh, and no second verification
	// when the refreshed key is unchanged.
	f = aliceFetcher(t)
	forged := signedRequest(t, http.MethodPost, inboxURL, eve, activity, now)
	if _, err := newVerifier(f, now).Verify(context.Background(), forged, activity); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged: %v", err)
	}
	if f.calls != 2 || f.refreshes != 1 {
		t.Fatalf("forged: %d fetches, %d refreshes; want 2, 1", f.calls, f.refreshes)
	}
}

func TestQueryVariants(t *testing.T) {
	alice, _ := testKeys(t)
	now := time.Now()
	getReq := func(rt string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/users/bob/outbox?page=true&min_id=0", nil)
		r.Host = "local.example"
		r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
		handSign(t, r, alice, []string{"(request-target)", "host", "date"}, "rsa-sha256", rt)
		return r
	}
	for _, tc := range []struct {
		name string
		req  func() *http.Request
		want error
	}{
		{"go-fed client, query signed", func() *http.Request { return signedRequest(t, http.MethodGet, outboxURL, alice, nil, now) }, nil},
		{"Mastodon: path and query", func() *http.Request { return getReq("get /users/bob/outbox?page=true&min_id=0") }, nil},
		{"Fedify: path only", func() *http.Request { return getReq("get /users/bob/outbox") }, nil},
		{"other query signed", func() *http.Request { return getReq("get /users/bob/outbox?page=false") }, ErrBadSignature},
		{"other path signed", func() *http.Request { return getReq("get /users/bob/followers") }, ErrBadSignature},
		{"POST signed without its query", func() *http.Request {
			r := mastodonRequest(t, alice, activity, now, mastodonHeaders)
			r2 := httptest.NewRequest(http.MethodPost, "/users/bob/inbox?x=1", bytes.NewReader(activity))
			r2.Host, r2.Header = r.Host, r.Header
			return r2
		}, ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req()
			var body []byte
			if r.Method == http.MethodPost {
				body = activity
			}
			key, err := newVerifier(aliceFetcher(t), now).Verify(context.Background(), r, body)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			checkErr(t, key, err, tc.want, "")
		})
	}
}

func signedRFC9421(t testing.TB, method, url string, key *rsa.PrivateKey, body []byte, now time.Time) *http.Request {
	t.Helper()
	cr, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		cr.Header.Set("Content-Type", "application/activity+json")
	}
	if err := SignRequestRFC9421(cr, aliceKeyID, key, body, now); err != nil {
		t.Fatal(err)
	}
	return toServer(cr, body)
}

func TestRFC9421RoundTrip(t *testing.T) {
	alice, _ := testKeys(t)
	now := time.Now()
	for _, tc := range []struct {
		name, method, url string
		body              []byte
	}{
		{"POST", http.MethodPost, inboxURL, activity},
		{"GET", http.MethodGet, "https://local.example/users/bob", nil},
		{"GET with query", http.MethodGet, outboxURL, nil},
		{"explicit default port", http.MethodGet, "https://local.example:443/users/bob", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := signedRFC9421(t, tc.method, tc.url, alice, tc.body, now)
			if tc.body != nil && !strings.Contains(r.Header.Get("Signature-Input"), `"content-digest"`) {
				t.Fatalf("Signature-Input = %s", r.Header.Get("Signature-Input"))
			}
			key, err := newVerifier(aliceFetcher(t), now).Verify(context.Background(), r, tc.body)
			if err != nil || key.Owner != aliceID {
				t.Fatalf("Verify = %v, %v", key, err)
			}
		})
	}
}

// TestRFC9421HandMade verifies requests signed outside SignRequestRFC9421:
// rsa-pss-sha512, and Mastodon-like coverage of @request-target + host.
func TestRFC9421HandMade(t *testing.T) {
	alice, _ := testKeys(t)
	now := time.Now()
	for _, tc := range []struct {
		name, input, alg string
	}{
		{"rsa-pss-sha512", `("@method" "@target-uri" "content-digest");created=%d;keyid="%s";alg="rsa-pss-sha512"`, "pss"},
		{"@request-target and host, no alg", `("@method" "@request-target" "host" "content-digest" "content-type");created=%d;keyid="%s"`, "v15"},
		{"@path @query @authority @scheme", `("@method" "@scheme" "@authority" "@path" "@query" "content-digest");created=%d;keyid="%s";alg="rsa-v1_5-sha256"`, "v15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", bytes.NewReader(activity))
			r.Host = "local.example"
			r.Header.Set("Content-Type", "application/activity+json")
			r.Header.Set("Content-Digest", contentDigestSHA256(activity))
			params := fmt.Sprintf(tc.input, now.Unix(), aliceKeyID)
			var lines []string
			comps := params[1:strings.IndexByte(params, ')')]
			for _, c := range strings.Fields(comps) {
				c = strings.Trim(c, `"`)
				v := map[string]string{
					"@method": "POST", "@target-uri": "https://local.example/users/bob/inbox",
					"@request-target": "/users/bob/inbox", "@path": "/users/bob/inbox", "@query": "?",
					"@scheme": "https", "@authority": "local.example", "host": "local.example",
				}[c]
				if v == "" {
					v = r.Header.Get(c)
				}
				lines = append(lines, fmt.Sprintf("%q: %s", c, v))
			}
			lines = append(lines, `"@signature-params": `+params)
			base := []byte(strings.Join(lines, "\n"))
			var sig []byte
			var err error
			if tc.alg == "pss" {
				h := sha512Sum(base)
				sig, err = rsa.SignPSS(rand.Reader, alice, crypto.SHA512, h, &rsa.PSSOptions{SaltLength: 64})
			} else {
				h := sha256.Sum256(base)
				sig, err = rsa.SignPKCS1v15(rand.Reader, alice, crypto.SHA256, h[:])
			}
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Signature-Input", "sig1="+params)
			r.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
			if _, err := newVerifier(aliceFetcher(t), now).Verify(context.Background(), r, activity); err != nil {
				t.Fatalf("Verify: %v\nbase:\n%s", err, base)
			}
		})
	}
}

func TestRFC9421Tampered(t *testing.T) {
	alice, eve := testKeys(t)
	now := time.Now()
	post := func(t *testing.T) *http.Request {
		return signedRFC9421(t, http.MethodPost, inboxURL, alice, activity, now)
	}
	other := []byte(`{"type":"Delete"}`)
	for _, tc := range []struct {
		name    string
		req     func(t *testing.T) *http.Request
		body    []byte
		scheme  string
		want    error
		missing string
	}{
		{name: "body replaced", req: post, body: other, want: ErrDigestMismatch},
		{name: "body and Content-Digest replaced", body: other, want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Content-Digest", contentDigestSHA256(other))
			return r
		}},
		{name: "signed by another key", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			return signedRFC9421(t, http.MethodPost, inboxURL, eve, activity, now)
		}},
		{name: "other host", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Host = "evil.example"
			return r
		}},
		{name: "other path", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r2 := httptest.NewRequest(http.MethodPost, "/users/carol/inbox", bytes.NewReader(activity))
			r2.Host, r2.Header = r.Host, r.Header
			return r2
		}},
		{name: "wrong public scheme", scheme: "http", want: ErrBadSignature, req: post},
		{name: "created too old", want: ErrDateSkew, req: func(t *testing.T) *http.Request {
			return signedRFC9421(t, http.MethodPost, inboxURL, alice, activity, now.Add(-2*time.Hour))
		}},
		{name: "signature bytes flipped", want: ErrBadSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			s := r.Header.Get("Signature")
			r.Header.Set("Signature", s[:10]+"AAAA"+s[14:])
			return r
		}},
		{name: "content-digest not covered", missing: "content-digest", req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), ` "content-digest"`, "", 1))
			return r
		}},
		{name: "method not covered", missing: "@method", req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), `"@method" `, "", 1))
			return r
		}},
		{name: "no created", missing: "created", req: func(t *testing.T) *http.Request {
			r := post(t)
			in := r.Header.Get("Signature-Input")
			i := strings.Index(in, ";created=")
			j := strings.Index(in[i+1:], ";")
			r.Header.Set("Signature-Input", in[:i]+in[i+1+j:])
			return r
		}},
		{name: "unknown alg", want: ErrUnsupportedAlgorithm, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), "rsa-v1_5-sha256", "ed25519", 1))
			return r
		}},
		{name: "label mismatch", want: ErrMalformedSignature, req: func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "sig1=", "sig2=", 1))
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == nil {
				body = activity
			}
			v := newVerifier(aliceFetcher(t), now)
			if tc.scheme != "" {
				v.PublicScheme = tc.scheme
			}
			key, err := v.Verify(context.Background(), tc.req(t), body)
			checkErr(t, key, err, tc.want, tc.missing)
		})
	}
}

// TestSignatureBaseRFC9421Example checks the base against RFC 9421 §2.5.
func TestSignatureBaseRFC9421Example(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/foo?param=Value&Pet=dog", strings.NewReader(`{"hello": "world"}`))
	r.Host = "example.com"
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
	r.Header.Set("Content-Length", "18")
	in, err := parseSFDictionary(`sig1=("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss"`)
	if err != nil {
		t.Fatal(err)
	}
	base, err := newTarget(r, "https").signatureBase(in[0].list, in[0].lp)
	if err != nil {
		t.Fatal(err)
	}
	want := `"@method": POST
"@authority": example.com
"@path": /foo
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"content-length": 18
"content-type": application/json
"@signature-params": ("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss"`
	if string(base) != want {
		t.Fatalf("base:\n%s\nwant:\n%s", base, want)
	}
	tg := newTarget(r, "https")
	for c, want := range map[string]string{
		"@target-uri": "https://example.com/foo?param=Value&Pet=dog", "@query": "?param=Value&Pet=dog",
		"@request-target": "/foo?param=Value&Pet=dog", "@scheme": "https",
	} {
		if got, _ := tg.component(c); got != want {
			t.Errorf("%s = %q, want %q", c, got, want)
		}
	}
}

func TestSignTwice(t *testing.T) {
	alice, _ := testKeys(t)
	for _, sign := range []func(*http.Request, string, *rsa.PrivateKey, []byte, time.Time) error{SignRequest, SignRequestRFC9421} {
		r, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
		if err := sign(r, aliceKeyID, alice, activity, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := sign(r, aliceKeyID, alice, activity, time.Now()); !errors.Is(err, ErrAlreadySigned) {
			t.Fatalf("second sign: %v", err)
		}
	}
}

func TestKeyPEM(t *testing.T) {
	alice, _ := testKeys(t)
	privPEM, err := EncodePrivateKey(alice)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(privPEM, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Fatalf("private PEM: %s", privPEM[:30])
	}
	if k, err := DecodePrivateKey(privPEM); err != nil || !k.Equal(alice) {
		t.Fatalf("DecodePrivateKey(PKCS#8) = %v", err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(alice)})
	if k, err := DecodePrivateKey(pkcs1); err != nil || !k.Equal(alice) {
		t.Fatalf("DecodePrivateKey(PKCS#1) = %v", err)
	}

	pubPEM, err := EncodePublicKey(&alice.PublicKey)
	if err != nil || !bytes.HasPrefix(pubPEM, []byte("-----BEGIN PUBLIC KEY-----")) {
		t.Fatalf("EncodePublicKey: %v", err)
	}
	rsaPub := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&alice.PublicKey)})
	mislabeled := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&alice.PublicKey)})
	escaped := []byte(strings.ReplaceAll(string(pubPEM), "\n", `\n`))
	for name, in := range map[string][]byte{"PKIX": pubPEM, "PKCS#1": rsaPub, "PKCS#1 labelled PUBLIC KEY": mislabeled, "escaped newlines": escaped} {
		if k, err := DecodePublicKey(in); err != nil || !k.Equal(&alice.PublicKey) {
			t.Errorf("DecodePublicKey(%s) = %v", name, err)
		}
	}
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(edPub)
	// Go refuses to generate keys under 1024 bits: forge a 512-bit modulus.
	smallN := new(big.Int).Lsh(big.NewInt(1), 511)
	smallN.Add(smallN, big.NewInt(12345))
	smallDER := x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: smallN, E: 65537})
	for name, in := range map[string][]byte{
		"ed25519": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}),
		"rsa-512": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: smallDER}),
		"garbage": []byte("not a key"),
		"bad DER": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}}),
	} {
		if _, err := DecodePublicKey(in); err == nil {
			t.Errorf("DecodePublicKey(%s) accepted", name)
		}
	}
}

// TestHostileHeadersNoPanic feeds garbage; every case must fail cleanly.
func TestHostileHeadersNoPanic(t *testing.T) {
	now := time.Now()
	cavage := []string{
		"", ",", "=", `keyId`, `keyId=`, `keyId="`, `keyId="a"`, `keyId="a",signature=`,
		`keyId="a",signature="b",headers="(request-target) date digest host",created=x`,
		`keyId="a",signature="b",headers="(request-target) (created) digest host"`,
		`keyId="a",signature="b",headers="(request-target) (created) digest host",created=99999999999999999999`,
		`keyId="a",signature="b",headers="(request-target) date digest host",expires=1`,
		`keyId="a",signature="!!!",headers="(request-target) date digest host"`,
		`keyId="a",signature="b"junk,headers="x"`, strings.Repeat(`a=b,`, 10000),
		`keyId="a\`, `keyId="a",signature="b",headers="` + strings.Repeat("x ", 5000) + `"`,
	}
	rfc := [][2]string{
		{"", ""}, {"sig1=", "sig1=:"}, {"sig1=(", "sig1=::"}, {`sig1=("@method"`, "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest");keyid="k";created=1`, "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest");keyid=1`, "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest" "@query-param";name="x");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=:AA==:"},
		{`sig1=("@method" "@method" "@target-uri" "content-digest");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest" "X-Upper");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest");keyid="k";created=99999999999999999999`, "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=("},
		{`sig1=("@method" "@target-uri" "content-digest");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=:AA==:"},
		{`sig1=("@method" "@target-uri" "content-digest");keyid="k";created=` + fmt.Sprint(now.Unix()), "sig1=:!!:"},
		{`a=1, a=2`, "a=:AA==:"},
	}
	digests := []string{"", "SHA-256", "SHA-256=", "SHA-256=!!!", "sha-256=:AA==:", ",,,"}
	cdigests := []string{"", "sha-256", "sha-256=:!!:", "sha-256=AA", "md5=:AA==:", "sha-256=:AA==:"}
	f := aliceFetcher(t)
	v := newVerifier(f, now)
	for _, s := range cavage {
		for _, d := range digests {
			for _, auth := range []bool{false, true} {
				r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", nil)
				r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
				r.Header.Set("Digest", d)
				if auth {
					r.Header.Set("Authorization", "Signature "+s)
				} else {
					r.Header.Set("Signature", s)
				}
				if k, err := v.Verify(context.Background(), r, activity); err == nil {
					t.Fatalf("accepted %q / %q: %v", s, d, k)
				}
			}
		}
	}
	for _, p := range rfc {
		for _, d := range cdigests {
			r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", nil)
			r.Header.Set("Signature-Input", p[0])
			r.Header.Set("Signature", p[1])
			r.Header.Set("Content-Digest", d)
			if k, err := v.Verify(context.Background(), r, activity); err == nil {
				t.Fatalf("accepted %q: %v", p, k)
			}
		}
	}
}

func FuzzVerify(f *testing.F) {
	alice, _ := testKeys(f)
	now := time.Now()
	good := signedRequest(f, http.MethodPost, inboxURL, alice, activity, now)
	good2 := signedRFC9421(f, http.MethodPost, inboxURL, alice, activity, now)
	f.Add(good.Header.Get("Signature"), "", good.Header.Get("Digest"))
	f.Add(good2.Header.Get("Signature"), good2.Header.Get("Signature-Input"), good2.Header.Get("Content-Digest"))
	fetcher := aliceFetcher(f)
	v := newVerifier(fetcher, now)
	f.Fuzz(func(t *testing.T, sig, input, digest string) {
		r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", nil)
		r.Host = "local.example"
		r.Header = good.Header.Clone()
		r.Header.Set("Signature", sig)
		if input != "" {
			r.Header.Set("Signature-Input", input)
		}
		r.Header.Set("Digest", digest)
		r.Header.Set("Content-Digest", digest)
		_, _ = v.Verify(context.Background(), r, activity)
	})
}

func sha512Sum(b []byte) []byte {
	h := crypto.SHA512.New()
	h.Write(b)
	return h.Sum(nil)
}

func TestClientMessage(t *testing.T) {
	err := fail(ErrKeyFetch, "dial 10.0.0.7: refused")
	if got := ClientMessage(err); got != ErrKeyFetch.Error() || strings.Contains(got, "10.0.0.7") {
		t.Fatalf("ClientMessage = %q", got)
	}
	if got := ClientMessage(missing("digest")); got != `signature must cover "digest"` {
		t.Fatalf("ClientMessage = %q", got)
	}
	if got := ClientMessage(errors.New("boom")); got != "invalid signature" {
		t.Fatalf("ClientMessage = %q", got)
	}
}
