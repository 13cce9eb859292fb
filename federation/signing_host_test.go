package federation_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/go-fed/httpsig"
)

// TestInboxRefusesPOSTWithoutSignedHost: a correctly signed POST whose
// signature leaves out host (it could be replayed to another server) is
// answered 401 with the reason, and nothing is stored; the same POST signed
// over host too (as Fedify and Mastodon sign) is accepted.
func TestInboxRefusesPOSTWithoutSignedHost(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	rem := newRemote(t)
	key, _ := testKeys(t)
	inbox := inst.ActorURL("ada") + "/inbox"
	x := rem.Actor("x")
	for _, tc := range []struct {
		name    string
		headers []string
		status  int
		reason  string
	}{
		{"without host", []string{httpsig.RequestTarget, "content-type", "date", "digest"}, http.StatusUnauthorized, "host"},
		{"without date", []string{httpsig.RequestTarget, "host", "digest"}, http.StatusUnauthorized, "date"},
		{"without digest", []string{httpsig.RequestTarget, "host", "date"}, http.StatusUnauthorized, "digest"},
		{"Fedify's headers", []string{httpsig.RequestTarget, "content-type", "date", "digest", "host"}, http.StatusAccepted, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := mustJSON(t, followDoc(x, rem.URL()+"/follows/"+strings.ReplaceAll(tc.name, " ", "-"), inst.ActorURL("ada")))
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/activity+json")
			req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
			req.Header.Set("Host", req.URL.Host)
			sum := sha256.Sum256(body)
			req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
			signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, tc.headers, httpsig.Signature, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := signer.SignRequest(key, x+"#main-key", req, nil); err != nil {
				t.Fatal(err)
			}
			req.Header.Del("Host")
			before := stateCounts(t, inst)
			code, answer := do(t, req)
			if code != tc.status || !strings.Contains(answer, tc.reason) {
				t.Fatalf("%d %s, want %d mentioning %q", code, answer, tc.status, tc.reason)
			}
			if tc.status != http.StatusAccepted {
				if after := stateCounts(t, inst); !equalCounts(before, after) {
					t.Fatalf("state changed: %v -> %v", before, after)
				}
			}
		})
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
