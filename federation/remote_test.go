package federation_test

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	dto "github.com/prometheus/client_model/go"
)

// Keys are slow to generate: one pair per test binary.
var (
	keysOnce           sync.Once
	remoteKey, evilKey *rsa.PrivateKey
)

func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if remoteKey, err = signing.GenerateKey(); err != nil {
			panic(err)
		}
		if evilKey, err = signing.GenerateKey(); err != nil {
			panic(err)
		}
	})
	return remoteKey, evilKey
}

// remote is a minimal "remote server" on 127.0.0.1: every GET of a path it was
// not given a document for answers an actor document (security/v1 context,
// publicKey <url>#main-key) for the shared test key, so the instance's fetcher can
// verify signatures made with that key. POSTs are recorded and answered 202.
type remote struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	mu   sync.Mutex
	docs map[string][]byte
	fail map[string]int // GET path → status to answer instead
	post []recorded
}

type recorded struct {
	Path string
	Body []byte
}

func newRemote(t *testing.T) *remote {
	t.Helper()
	key, _ := testKeys(t)
	r := &remote{key: key, docs: map[string][]byte{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serveHTTP))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *remote) URL() string { return r.srv.URL }

// Host is host:port, the domain the instance sees.
func (r *remote) Host() string { return strings.TrimPrefix(r.srv.URL, "http://") }

// Actor is the id of a (generated) actor on this server.
func (r *remote) Actor(name string) string { return r.srv.URL + "/users/" + name }

// Serve makes GET path answer doc.
func (r *remote) Serve(path string, doc []byte) {
	r.mu.Lock()
	r.docs[path] = doc
	r.mu.Unlock()
}

// Fail makes GET path answer status (0: serve it again).
func (r *remote) Fail(path string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail == nil {
		r.fail = map[string]int{}
	}
	r.fail[path] = status
}

func (r *remote) Posts() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.post...)
}

func (r *remote) serveHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodPost {
		b, _ := io.ReadAll(io.LimitReader(req.Body, 2<<20))
		r.mu.Lock()
		r.post = append(r.post, recorded{Path: req.URL.Path, Body: b})
		r.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	r.mu.Lock()
	doc, ok := r.docs[req.URL.Path]
	status := r.fail[req.URL.Path]
	r.mu.Unlock()
	if status != 0 {
		http.Error(w, "failing on purpose", status)
		return
	}
	if !ok {
		doc = actorDoc(r.srv.URL+req.URL.Path, r.srv.URL, &r.key.PublicKey)
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write(doc)
}

func actorDoc(id, origin string, pub *rsa.PublicKey) []byte {
	pem, err := signing.EncodePublicKey(pub)
	if err != nil {
		panic(err)
	}
	name := id[strings.LastIndexByte(id, '/')+1:]
	b, _ := json.Marshal(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              "Person",
		"preferredUsername": name,
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"followers":         id + "/followers",
		"following":         id + "/following",
		"endpoints":         map[string]any{"sharedInbox": origin + "/inbox"},
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": string(pem)},
	})
	return b
}

// signedPost builds a POST of body to url signed (draft-cavage, as Mastodon does)
// with key under keyID at the given time.
func signedPost(t testing.TB, url, keyID string, key *rsa.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := signing.SignRequest(req, keyID, key, body, at); err != nil {
		t.Fatal(err)
	}
	return req
}

// do sends req and returns the status and body.
func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postAs signs body as actor (key <actor>#main-key) and POSTs it to inbox.
func (r *remote) postAs(t testing.TB, inbox, actor string, body []byte) (int, string) {
	t.Helper()
	return do(t, signedPost(t, inbox, actor+"#main-key", r.key, body, time.Now()))
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stateCounts counts the rows an inbound activity can create.
func stateCounts(t testing.TB, inst *apptest.Instance) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for name, m := range map[string]any{
		"activities": &models.Activity{}, "follows": &models.Follow{}, "notes": &models.Note{},
		"likes": &models.Like{}, "announces": &models.Announce{}, "blocks": &models.Block{},
		"reports": &models.Report{}, "timeline": &models.TimelineEntry{},
	} {
		var n int64
		if err := inst.App.Store.DB.Model(m).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

// inboxStatuses counts the instance's answers to inbox POSTs by status, from its
// request metrics.
func inboxStatuses(t testing.TB, inst *apptest.Instance) map[string]uint64 {
	t.Helper()
	mfs, err := inst.App.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, mf := range mfs {
		if mf.GetName() != "commonsd_http_request_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := labels(m)
			if l["method"] == http.MethodPost && strings.HasSuffix(l["route"], "inbox") {
				out[l["status"]] += m.GetHistogram().GetSampleCount()
			}
		}
	}
	return out
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

// failedInbound lists inbound activities whose processing failed.
func failedInbound(inst *apptest.Instance) []models.Activity {
	var failed []models.Activity
	inst.App.Store.DB.Where("state = ? AND local = ?", models.ActivityFailed, false).Find(&failed)
	return failed
}

func healthy(t *testing.T, inst *apptest.Instance) {
	t.Helper()
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := inst.Client.Get(inst.URL + p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d", p, resp.StatusCode)
		}
	}
}
