package bench

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"github.com/commonsd/commonsd/app"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// remoteActor is a fake peer: an RSA-2048 key and its actor document served by an
// httptest server on 127.0.0.1, fetched by the instance once and then cached.
type remoteActor struct {
	key          *rsa.PrivateKey
	base, uri    string
	keyID, inbox string
}

func newRemoteActor(b *testing.B) *remoteActor {
	b.Helper()
	key, err := signing.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	pem, err := signing.EncodePublicKey(&key.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	ra := &remoteActor{key: key}
	var doc []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/users/remote" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write(doc)
	}))
	b.Cleanup(srv.Close)
	ra.base = srv.URL
	ra.uri = srv.URL + "/users/remote"
	ra.keyID = ra.uri + "#main-key"
	ra.inbox = ra.uri + "/inbox"
	doc, _ = json.Marshal(map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                ra.uri,
		"type":              "Person",
		"preferredUsername": "remote",
		"inbox":             ra.inbox,
		"outbox":            ra.uri + "/outbox",
		"endpoints":         map[string]string{"sharedInbox": srv.URL + "/inbox"},
		"publicKey":         map[string]string{"id": ra.keyID, "owner": ra.uri, "publicKeyPem": string(pem)},
	})
	return ra
}

// signed is one pre-signed POST: its body and headers (Host, Date, Digest, Signature).
type signed struct {
	body   []byte
	header http.Header
}

// presign signs n distinct Create(Note) activities for inboxURL on every core.
func (ra *remoteActor) presign(b *testing.B, inboxURL string, n int) []signed {
	return ra.presignWith(b, inboxURL, n, nil)
}

// presignWith signs n distinct Create(Note) activities for inboxURL on every
// core; mention, when not empty, is a local actor's id that each note mentions
// (tag and cc), as a reply to someone on that instance does.
func (ra *remoteActor) presignWith(b *testing.B, inboxURL string, n int, mention *string) []signed {
	b.Helper()
	out := make([]signed, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	now := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				note := fmt.Sprintf("%s/notes/%d-%d", ra.base, now.UnixNano(), i)
				obj := map[string]any{"id": note, "type": "Note", "attributedTo": ra.uri,
					"content":   fmt.Sprintf("<p>benchmark note %d, a few words long like most posts are</p>", i),
					"published": now.UTC().Format(time.RFC3339),
					"to":        []string{"https://www.w3.org/ns/activitystreams#Public"}}
				act := map[string]any{
					"@context": "https://www.w3.org/ns/activitystreams",
					"id":       note + "/activity", "type": "Create", "actor": ra.uri,
					"to":     []string{"https://www.w3.org/ns/activitystreams#Public"},
					"object": obj,
				}
				if mention != nil && *mention != "" {
					obj["cc"] = []string{*mention}
					obj["tag"] = []map[string]string{{"type": "Mention", "href": *mention, "name": "@ada"}}
					act["cc"] = []string{*mention}
				}
				body, _ := json.Marshal(act)
				req, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
				req.Header.Set("Content-Type", "application/activity+json")
				if err := signing.SignRequest(req, ra.keyID, ra.key, body, now); err != nil {
					panic(err)
				}
				out[i] = signed{body: body, header: req.Header}
			}
		})
	}
	wg.Wait()
	return out
}

// post sends a pre-signed activity to url (whose Host header is set to the signed
// one) and returns the status, 0 on a transport error or timeout, and whether a
// Retry-After came with it.
func post(c *http.Client, url string, s signed) (int, bool) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(s.body))
	for k, v := range s.header {
		req.Header[k] = v
	}
	req.Host = s.header.Get("Host")
	resp, err := c.Do(req)
	if err != nil {
		return 0, false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After") != ""
}

type staticKey struct{ k *signing.Key }

func (s staticKey) FetchKey(context.Context, string, bool) (*signing.Key, error) { return s.k, nil }

// bareInbox does only what an inbox cannot skip: the signature check (key in memory)
// and one INSERT of the activity through the store (gorm, no transaction).
func bareInbox(b *testing.B, driver string, ra *remoteActor) string {
	b.Helper()
	st := storetest.Open(b, driver)
	v := &signing.Verifier{Keys: staticKey{&signing.Key{ID: ra.keyID, Owner: ra.uri, Public: &ra.key.PublicKey}}, PublicScheme: "http"}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if _, err := v.Verify(r.Context(), r, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		row := &models.Activity{ID: models.NewID(), URI: models.NewID(), Type: "Create", ActorURI: ra.uri, Raw: string(body), State: models.ActivityPending}
		if err := st.CreateActivity(r.Context(), row); err != nil && !isExists(err) {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/inbox"
}

func isExists(err error) bool {
	return err != nil && bytes.Contains([]byte(err.Error()), []byte(store.ErrExists.Error()))
}

// BenchmarkInbox: signed Create(Note) POSTs to the shared inbox at 64 connections,
// verified, stored and answered 202, next to the bare handler (signature check +
// one INSERT) in the same run; then an open-loop overload at twice the measured
// rate while 4 clients GET the actor document. Targets: ≥ 60 % of bare, p99 ≤ 50
// ms; under overload 429/503 with Retry-After rather than timeouts, actor GETs fast.
//
// Role "all" processes the accepted activities in the same process while it is
// measured (on SQLite they share its one connection); role "web" is how a large
// instance runs its inbox, with workers in other processes.
func BenchmarkInbox(b *testing.B) {
	for _, role := range []string{app.RoleAll, app.RoleWeb} {
		b.Run(role, func(b *testing.B) { benchInbox(b, role) })
	}
}

func benchInbox(b *testing.B, role string) {
	eachDriver(b, func(b *testing.B, driver string) {
		inst, _ := startInstanceRole(b, driver, role)
		ra := newRemoteActor(b)
		inbox := inst.URL + "/inbox"
		n := envInt("BENCH_INBOX_N", 20000)
		t0 := time.Now()
		acts := ra.presign(b, inbox, n)
		b.Logf("pre-signed %d activities in %v", n, time.Since(t0).Round(time.Millisecond))
		c := newClient(10 * time.Second)
		// The first POST fetches and caches the remote key.
		if s, _ := post(c, inbox, acts[0]); s != http.StatusAccepted {
			b.Fatalf("first POST: %d", s)
		}
		bare := bareInbox(b, driver, ra)
		var used atomic.Int64
		used.Store(1)
		rb := closedLoop(Concurrency, phase(), n, func(i int) int { s, _ := post(c, bare, acts[i]); return s })
		r := closedLoop(Concurrency, phase(), n-1, func(int) int {
			s, _ := post(c, inbox, acts[used.Add(1)-1])
			return s
		})
		if r.Status[http.StatusAccepted] != r.N || rb.Status[http.StatusAccepted] != rb.N {
			b.Errorf("statuses: inbox %v, bare %v", r.Status, rb.Status)
		}
		b.Logf("%s inbox: %.0f/s p50 %.1f ms p99 %.1f ms; bare %.0f/s p99 %.1f ms", driver, r.Rate(), r.Q(.5), r.Q(.99), rb.Rate(), rb.Q(.99))

		// Overload: open loop at twice the sustainable rate, actor GETs alongside.
		rate := 2 * r.Rate()
		ov := openLoop(c, inbox, acts, &used, rate, phase())
		b.Logf("%s overload at %.0f/s offered: %v; Retry-After on %d of %d 429/503; actor GET p99 %.1f ms (%d GETs, %d failed)",
			driver, rate, ov.status, ov.retryAfter, ov.status[429]+ov.status[503], ov.actorP99, ov.gets, ov.getErrors)
		report(b, "req/s", r.Rate(), "p99-ms", r.Q(.99), "bare-req/s", rb.Rate(), "bare-p99-ms", rb.Q(.99),
			"%bare", 100*r.Rate()/rb.Rate(),
			"ovl-202/s", float64(ov.status[202])/ov.elapsed.Seconds(), "ovl-rejected", float64(ov.status[429]+ov.status[503]),
			"ovl-timeouts", float64(ov.status[0]), "ovl-actor-p99-ms", ov.actorP99)
	})
}

type overload struct {
	status          map[int]int
	retryAfter      int
	elapsed         time.Duration
	actorP99        float64
	gets, getErrors int
}

// openLoop offers rate POSTs per second for dur whatever the answers take (each
// request in its own goroutine), while 4 clients GET an actor document.
func openLoop(c *http.Client, inbox string, acts []signed, used *atomic.Int64, rate float64, dur time.Duration) overload {
	var mu sync.Mutex
	ov := overload{status: map[int]int{}}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	actorURL := inbox[:len(inbox)-len("/inbox")] + "/users/ada"
	gc := newClient(10 * time.Second)
	var lat []time.Duration
	var getWG sync.WaitGroup
	for range 4 {
		getWG.Go(func() {
			var l []time.Duration
			errs := 0
			for {
				select {
				case <-stop:
					mu.Lock()
					lat = append(lat, l...)
					ov.getErrors += errs
					mu.Unlock()
					return
				default:
				}
				t := time.Now()
				if get(gc, actorURL, apAccept) != 200 {
					errs++
				}
				l = append(l, time.Since(t))
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	start := time.Now()
	sent := 0
	for time.Since(start) < dur {
		due := int(time.Since(start).Seconds() * rate)
		for ; sent < due; sent++ {
			i := int(used.Add(1) - 1)
			if i >= len(acts) {
				break
			}
			wg.Go(func() {
				s, ra := post(c, inbox, acts[i])
				mu.Lock()
				ov.status[s]++
				if ra && (s == 429 || s == 503) {
					ov.retryAfter++
				}
				mu.Unlock()
			})
		}
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	ov.elapsed = time.Since(start)
	close(stop)
	getWG.Wait()
	ov.gets = len(lat)
	ov.actorP99 = quantile(lat, .99)
	return ov
}
