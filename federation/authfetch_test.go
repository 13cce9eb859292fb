package federation_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
)

// TestAuthorizedFetch: with federation.authorized_fetch, ActivityPub GETs need a
// valid signature from a domain that is not blocked; the instance actor stays
// public (peers fetch it to verify our own signed GETs).
func TestAuthorizedFetch(t *testing.T) {
	r := newRemote(t)
	blocked := newRemote(t)
	inst := apptest.Start(t, func(c *config.Config) {
		c.Federation.AuthorizedFetch = true
		c.Federation.BlockedDomains = []string{blocked.Host()}
	})
	newUser(t, inst, "ada")
	key, _ := testKeys(t)
	signedGet := func(url string, rem *remote) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept", "application/activity+json")
		if rem != nil {
			if err := signing.SignRequest(req, rem.Actor("fetcher")+"#main-key", key, nil, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return req
	}
	cases := []struct {
		name   string
		url    string
		signer *remote
		want   int
	}{
		{"unsigned actor", inst.ActorURL("ada"), nil, 401},
		{"unsigned outbox", inst.ActorURL("ada") + "/outbox", nil, 401},
		{"signed actor", inst.ActorURL("ada"), r, 200},
		{"signed followers", inst.ActorURL("ada") + "/followers", r, 200},
		{"blocked signer", inst.ActorURL("ada"), blocked, 403},
		{"instance actor stays public", inst.URL + "/actor", nil, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := do(t, signedGet(c.url, c.signer))
			if status != c.want {
				t.Fatalf("status %d, want %d: %s", status, c.want, body)
			}
		})
	}
	// Browsers still get the HTML profile.
	resp, _ := get(t, inst.Client, inst.ActorURL("ada"), "text/html")
	if resp.StatusCode != 200 {
		t.Fatalf("profile page: %d", resp.StatusCode)
	}
}
