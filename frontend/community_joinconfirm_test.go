package frontend_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// fakeMastodon serves WebFinger and one Person, enough for the join form to
// resolve @name@host.
func fakeMastodon(t *testing.T, name string) string {
	t.Helper()
	key, err := signing.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := signing.EncodePublicKey(&key.PublicKey)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.TrimPrefix(srv.URL, "http://")
		id := srv.URL + "/users/" + name
		var doc any
		switch r.URL.Path {
		case "/.well-known/webfinger":
			doc = map[string]any{"subject": "acct:" + name + "@" + host,
				"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": id}}}
		case "/users/" + name:
			doc = map[string]any{"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
				"id": id, "type": "Person", "preferredUsername": name, "inbox": id + "/inbox",
				"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": string(pem)}}
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return "@" + name + "@" + strings.TrimPrefix(srv.URL, "http://")
}

// TestCommunityJoinRemoteShowsCode: after "Join from another server" the page
// shows the message to send (community handle and the request's code) and a
// link to the account's server's share page carrying it; the request waits
// (awaiting_follow) and the page says a Follow is not enough.
func TestCommunityJoinRemoteShowsCode(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	handle := fakeMastodon(t, "vic")
	anon := newBrowser(t, inst)
	p := anon.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {handle}})
	want(t, p, http.StatusOK, `id="join-confirm"`, "Following the community is not enough")
	group := actor(t, inst, "seeds")
	var m models.Membership
	if err := inst.App.Store.DB.Where("community_id = ? AND state = ?", group.ID, models.MembershipAwaitingFollow).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	msg := service.JoinMessage("@seeds@"+inst.Host, &m)
	host := handle[strings.LastIndex(handle, "@")+1:]
	share := "http://" + host + "/share?text=" + strings.ReplaceAll(url.QueryEscape(msg), "+", "%20")
	for _, s := range []string{html.EscapeString(msg), html.EscapeString(share)} {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("page lacks %q:\n%s", s, p.Body[strings.Index(p.Body, `id="join-confirm"`):][:800])
		}
	}
}

// TestCommunityJoinRemoteRateLimited: the form is limited per client address:
// past security.login_attempts_per_minute requests one address gets 429 and
// nothing is recorded, while another address is still served.
func TestCommunityJoinRemoteRateLimited(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Server.TrustProxy = true })
	ada := browserAt(t, inst, "198.51.100.1")
	want(t, ada.signup("ada", nil), http.StatusSeeOther)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	flooder := browserAt(t, inst, "203.0.113.5")
	limit := inst.Cfg.Security.LoginAttemptsPerMinute
	for i := 0; i < limit; i++ {
		// A handle on this server: refused by the service, after the limit counted it.
		p := flooder.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {"@ada@" + inst.Host}})
		want(t, p, http.StatusUnprocessableEntity, "has an account on this server")
	}
	handle := fakeMastodon(t, "vic")
	p := flooder.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {handle}})
	want(t, p, http.StatusTooManyRequests, "too many join requests")
	var n int64
	inst.App.Store.DB.Model(&models.Membership{}).Where("state = ?", models.MembershipAwaitingFollow).Count(&n)
	if n != 0 {
		t.Fatalf("%d requests recorded past the limit", n)
	}
	other := browserAt(t, inst, "198.51.100.99")
	want(t, other.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {handle}}), http.StatusOK, `id="join-confirm"`)
}
