package federation_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/signing"
)

func followDoc(actor, id, target string) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Follow", "actor": actor, "object": target}
}

func createDoc(actor, id, noteID string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Create", "actor": actor,
		"to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{"id": noteID, "type": "Note", "attributedTo": actor, "content": "<p>hi</p>",
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}},
	}
}

// TestInboxRefusesHostileInput sends each kind of hostile request to a local
// user's inbox and checks the status and that nothing was stored (no activity,
// follow, note, like, report...). A well-signed Follow (draft-cavage and RFC 9421)
// is accepted first, to show the refusals are not the harness failing.
func TestInboxRefusesHostileInput(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	rem := newRemote(t)
	blockedRem := newRemote(t)
	if _, err := inst.App.Svc.Admin.PutDomainPolicy(ctx, nil, blockedRem.Host(), "block", "test"); err != nil {
		t.Fatal(err)
	}
	key, evil := testKeys(t)
	inbox := inst.ActorURL("ada") + "/inbox"
	ada := inst.ActorURL("ada")
	x, y := rem.Actor("x"), rem.Actor("y")
	seq := 0
	next := func() string { seq++; return fmt.Sprintf("%s/activities/%d", rem.URL(), seq) }

	// Positive controls.
	t.Run("signed follow is accepted", func(t *testing.T) {
		if code, body := rem.postAs(t, inbox, x, mustJSON(t, followDoc(x, next(), ada))); code != 202 {
			t.Fatalf("status %d: %s", code, body)
		}
		body := mustJSON(t, followDoc(y, next(), ada))
		req, _ := http.NewRequest(http.MethodPost, inbox, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/activity+json")
		if err := signing.SignRequestRFC9421(req, y+"#main-key", key, body, time.Now()); err != nil {
			t.Fatal(err)
		}
		if code, resp := do(t, req); code != 202 {
			t.Fatalf("RFC 9421: status %d: %s", code, resp)
		}
		adaActor := actorOf(t, inst, "ada")
		eventually(t, "two followers", func() bool {
			n, _ := inst.App.Store.CountFollowers(ctx, adaActor.ID)
			return n == 2
		})
	})

	// A valid signature for one body, replayed with another.
	replayBody := mustJSON(t, followDoc(x, next(), ada))
	replayed := signedPost(t, inbox, x+"#main-key", key, replayBody, time.Now())

	nested := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	huge := `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"` + x +
		`","id":"` + x + `/big","content":"` + strings.Repeat("a", 1<<20) + `"}`

	cases := []struct {
		name   string
		status int
		reason string // part of the error message
		req    func() *http.Request
	}{
		{"missing signature", 401, "not signed", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, strings.NewReader(string(mustJSON(t, followDoc(x, next(), ada)))))
			return req
		}},
		{"forged signature", 401, "", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", evil, mustJSON(t, followDoc(x, next(), ada)), time.Now())
		}},
		{"expired date", 401, "", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, followDoc(x, next(), ada)), time.Now().Add(-2*time.Hour))
		}},
		{"replayed signature, other body", 401, "digest", func() *http.Request {
			body := mustJSON(t, createDoc(x, next(), rem.URL()+"/notes/replay"))
			req, _ := http.NewRequest(http.MethodPost, inbox, strings.NewReader(string(body)))
			for _, h := range []string{"Content-Type", "Date", "Digest", "Signature"} {
				req.Header.Set(h, replayed.Header.Get(h))
			}
			return req
		}},
		{"digest header of another body", 401, "", func() *http.Request {
			body := mustJSON(t, followDoc(x, next(), ada))
			req := signedPost(t, inbox, x+"#main-key", key, body, time.Now())
			sum := sha256.Sum256([]byte("something else"))
			req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
			return req
		}},
		{"key owner is not the actor", 401, "belongs to", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, followDoc(y, next(), ada)), time.Now())
		}},
		{"object id on another host", 400, "object id", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, createDoc(x, next(), "https://victim.example/notes/1")), time.Now())
		}},
		{"activity id on another host", 400, "activity id", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, followDoc(x, "https://victim.example/follows/1", ada)), time.Now())
		}},
		{"oversized body", 413, "", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, []byte(huge), time.Now())
		}},
		{"deeply nested JSON", 400, "nested", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, []byte(nested), time.Now())
		}},
		{"blocked domain", 403, "blocked", func() *http.Request {
			a := blockedRem.Actor("z")
			return signedPost(t, inbox, a+"#main-key", key, mustJSON(t, followDoc(a, blockedRem.URL()+"/f/1", ada)), time.Now())
		}},
		{"unparseable JSON", 400, "", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, []byte(`{"type":"Follow","actor":`), time.Now())
		}},
		{"not an activity", 400, "not an activity", func() *http.Request {
			note := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": x + "/notes/1", "type": "Note",
				"attributedTo": x, "content": "hi"}
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, note), time.Now())
		}},
		{"actor claims to be local", 403, "", func() *http.Request {
			return signedPost(t, inbox, x+"#main-key", key, mustJSON(t, followDoc(ada, inst.URL+"/activities/x", ada)), time.Now())
		}},
		{"unknown local user", 404, "", func() *http.Request {
			return signedPost(t, inst.ActorURL("nobody")+"/inbox", x+"#main-key", key, mustJSON(t, followDoc(x, next(), ada)), time.Now())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := stateCounts(t, inst)
			code, body := do(t, tc.req())
			if code != tc.status {
				t.Errorf("status %d, want %d: %s", code, tc.status, body)
			}
			if tc.reason != "" && !strings.Contains(body, tc.reason) {
				t.Errorf("answer %q does not say %q", body, tc.reason)
			}
			if after := stateCounts(t, inst); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("state changed: %v -> %v", before, after)
			}
		})
	}
	// Nothing was queued behind the refusals either.
	before := stateCounts(t, inst)
	inst.WaitQueueIdle(t)
	if after := stateCounts(t, inst); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("state changed after the refusals: %v -> %v", before, after)
	}
	if len(blockedRem.Posts()) != 0 {
		t.Errorf("the blocked domain received %d POSTs", len(blockedRem.Posts()))
	}
	healthy(t, inst)
}

// countingListener is a TCP listener on 127.0.0.1 that counts connections.
func countingListener(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().String(), &n
}

// TestSSRFRefused: with private addresses forbidden (production's setting), an
// actor URL or a signature keyId on loopback, link-local (cloud metadata) or
// RFC 1918 addresses is refused without a connection being made.
func TestSSRFRefused(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Federation.AllowPrivateAddresses = false })
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")
	addr, conns := countingListener(t)
	key, _ := testKeys(t)
	inbox := inst.ActorURL("ada") + "/inbox"

	start := time.Now()
	if _, _, err := inst.App.Svc.Social.FollowByHandle(ctx, ada, "http://"+addr+"/users/x"); err == nil {
		t.Error("following an actor on 127.0.0.1 succeeded")
	}
	for _, host := range []string{addr, "169.254.169.254", "10.0.0.1", "[::1]:" + addr[strings.LastIndexByte(addr, ':')+1:]} {
		actor := "http://" + host + "/users/x"
		before := stateCounts(t, inst)
		code, body := do(t, signedPost(t, inbox, actor+"#main-key", key,
			mustJSON(t, followDoc(actor, "http://"+host+"/follows/1", inst.ActorURL("ada"))), time.Now()))
		if code != 401 {
			t.Errorf("keyId on %s: status %d, want 401: %s", host, code, body)
		}
		if after := stateCounts(t, inst); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("keyId on %s: state changed: %v -> %v", host, before, after)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusals took %v: something was dialled", d)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections reached 127.0.0.1", n)
	}
	if n, _ := inst.App.Store.CountFollowing(ctx, ada.ID); n != 0 {
		t.Errorf("ada follows %d actors", n)
	}
}
