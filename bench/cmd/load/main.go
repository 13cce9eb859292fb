// Command load measures `commonsd serve` pinned to one core, as issue 13's "How
// to measure" asks: the server process runs under `taskset -c 0` (GOMAXPROCS
// unset, so it follows the affinity), in role all (web and workers share the
// core), on SQLite and, when a DSN is given, PostgreSQL; this load generator
// re-executes itself under `taskset -c 1`. 64 keep-alive connections, closed
// loop, each load for -duration.
//
// In the same run it measures the ceilings on core 0, in a child process of
// its own: a bare echo handler answering the actor document's bytes, a bare
// signature check + one INSERT of the activity (same database driver), and
// RSA-2048 signatures per second.
//
// It reports requests (or activities) per second, p50/p99 and the server's
// CPU per request (utime+stime from /proc/<pid>/stat over the load) for:
// WebFinger, actor GET unsigned and signed, NodeInfo, the signed inbox
// Create{Note} mentioning a local user and from a followed actor (accepted/s,
// then stored/s until every accepted activity left the pending state, CPU per
// activity over accept + drain), and the fan-out of one note to followers on
// -hosts hosts (signed POSTs/s against the raw signing rate).
//
//	go run ./bench/cmd/load                                  # SQLite
//	go run ./bench/cmd/load -driver postgres -dsn 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// Numbers mean something only on an otherwise idle machine with two cores.
package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/commonsd/commonsd/bench/loadgen"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	driver     = flag.String("driver", "sqlite", "sqlite or postgres")
	dsn        = flag.String("dsn", os.Getenv("COMMONSD_TEST_POSTGRES_DSN"), "PostgreSQL DSN (a fresh schema is made in it)")
	duration   = flag.Duration("duration", 10*time.Second, "each load")
	conns      = flag.Int("conns", 64, "keep-alive connections")
	inboxN     = flag.Int("inbox-n", 6000, "pre-signed activities per inbox load (signing them takes ~1.5 ms each on the load core)")
	hosts      = flag.Int("hosts", 1000, "fan-out: remote hosts (one shared inbox each)")
	perHost    = flag.Int("per-host", 10, "fan-out: followers per host")
	rounds     = flag.Int("rounds", 3, "fan-out: notes")
	only       = flag.String("only", "", "comma-separated loads to run (webfinger,actor,actor-signed,nodeinfo,inbox-mention,inbox-followed,fanout); empty: all")
	serverCore = flag.String("server-core", "0", "taskset CPU list of the server")
	loadCore   = flag.String("load-core", "1", "taskset CPU list of this load generator")
	prebuilt   = flag.String("bin", "", "a commonsd binary to run (default: build ./cmd/commonsd)")
	role       = flag.String("role", "all", "the server's role: all, or web to measure accepting alone (the inbox loads then skip the drain)")
)

const apAccept = "application/activity+json"

func main() {
	flag.Parse()
	if os.Getenv("LOAD_BARE") != "" {
		runBare()
		return
	}
	if os.Getenv("LOAD_PINNED") == "" {
		// Re-run this binary on the load core.
		self, err := os.Executable()
		check(err)
		cmd := exec.Command("taskset", append([]string{"-c", *loadCore, self}, os.Args[1:]...)...)
		cmd.Env = append(os.Environ(), "LOAD_PINNED=1")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatal(err)
		}
		return
	}
	run()
}

// closedLoop is loadgen.ClosedLoop with -conns workers, reading the CPU of pid.
func closedLoop(pid int, dur time.Duration, max int, do func(i int) int) loadgen.Result {
	return loadgen.ClosedLoop(*conns, dur, max, func() time.Duration { return procCPU(pid) }, do)
}

// procCPU is utime+stime of pid (clock ticks of 10 ms on Linux: USER_HZ 100).
func procCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

func newClient() *http.Client { return loadgen.NewClient(*conns, 30*time.Second) }

// signed is a pre-signed request's body and headers.
type signed struct {
	body   []byte
	header http.Header
}

func post(c *http.Client, url string, s signed) int {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(s.body))
	for k, v := range s.header {
		req.Header[k] = v
	}
	req.Host = s.header.Get("Host")
	return loadgen.Do(c, req)
}

// peer is the remote actor (served by this process) that signs the inbox loads
// and the signed GETs.
type peer struct {
	key        *rsa.PrivateKey
	pem        []byte
	base, uri  string
	keyID      string
	doc        []byte
	sinkCount  atomic.Int64
	sinkHosts  []string
	sinkMu     sync.Mutex
	sinkByHost map[string]int
}

func startPeer() *peer {
	key, err := signing.GenerateKey()
	check(err)
	pem, err := signing.EncodePublicKey(&key.PublicKey)
	check(err)
	p := &peer{key: key, pem: pem, sinkByHost: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	p.base = "http://" + ln.Addr().String()
	p.uri = p.base + "/users/remote"
	p.keyID = p.uri + "#main-key"
	p.doc, _ = json.Marshal(map[string]any{
		"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       p.uri, "type": "Person", "preferredUsername": "remote",
		"inbox": p.uri + "/inbox", "outbox": p.uri + "/outbox",
		"endpoints": map[string]string{"sharedInbox": p.base + "/inbox"},
		"publicKey": map[string]string{"id": p.keyID, "owner": p.uri, "publicKeyPem": string(pem)},
	})
	go (&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		if r.URL.Path != "/users/remote" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", apAccept)
		w.Write(p.doc)
	})}).Serve(ln)
	return p
}

// sinks are -hosts ports of one HTTP server, each a remote host with a shared
// inbox, counting signed POSTs.
func (p *peer) startSinks(n int) {
	srv := &http.Server{IdleTimeout: time.Minute, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Method != http.MethodPost || !strings.Contains(r.Header.Get("Signature"), "signature=") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		p.sinkMu.Lock()
		p.sinkByHost[r.Host]++
		p.sinkMu.Unlock()
		p.sinkCount.Add(1)
		w.WriteHeader(http.StatusAccepted)
	})}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		check(err)
		p.sinkHosts = append(p.sinkHosts, ln.Addr().String())
		go srv.Serve(ln)
	}
}

// presign signs n Create(Note) activities for inboxURL; mention (a local
// actor id) is tagged and cc'd when not empty.
func (p *peer) presign(inboxURL string, n int, mention, tag string) []signed {
	out := make([]signed, n)
	now := time.Now()
	for i := range n {
		note := fmt.Sprintf("%s/notes/%s-%d-%d", p.base, tag, now.UnixNano(), i)
		obj := map[string]any{"id": note, "type": "Note", "attributedTo": p.uri,
			"content":   fmt.Sprintf("<p>load note %d, a few words long like most posts are</p>", i),
			"published": now.UTC().Format(time.RFC3339), "to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
		act := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity",
			"type": "Create", "actor": p.uri, "to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "object": obj}
		if mention != "" {
			obj["cc"] = []string{mention}
			obj["tag"] = []map[string]string{{"type": "Mention", "href": mention}}
			act["cc"] = []string{mention}
		}
		body, _ := json.Marshal(act)
		req, _ := http.NewRequest(http.MethodPost, inboxURL, nil)
		req.Header.Set("Content-Type", apAccept)
		check(signing.SignRequest(req, p.keyID, p.key, body, now))
		out[i] = signed{body: body, header: req.Header}
	}
	return out
}

// signedGets pre-signs n GETs of url (reused in turn: a signature is valid
// for its date window).
func (p *peer) signedGets(url string, n int) []http.Header {
	out := make([]http.Header, n)
	for i := range out {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept", apAccept)
		check(signing.SignRequest(req, p.keyID, p.key, nil, time.Now()))
		out[i] = req.Header
	}
	return out
}

type instance struct {
	bin, dir, addr, url string
	env                 []string
	cmd                 *exec.Cmd
	st                  *store.Store // this process's own connection to the server's database
	dbDSN               string
}

func (in *instance) run(args ...string) string {
	cmd := exec.Command(in.bin, args...)
	cmd.Env = append(os.Environ(), in.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	check(cmd.Run())
	return strings.TrimSpace(out.String())
}

func (in *instance) start() {
	in.cmd = exec.Command("taskset", "-c", *serverCore, in.bin, "serve", "--role", *role)
	env := []string{}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GOMAXPROCS=") {
			env = append(env, e)
		}
	}
	in.cmd.Env = append(env, in.env...)
	in.cmd.Stderr = os.Stderr
	check(in.cmd.Start())
	c := &http.Client{Timeout: time.Second}
	t0 := time.Now()
	for {
		if resp, err := c.Get(in.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Since(t0) > time.Minute {
			log.Fatal("server not ready after 1 min")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (in *instance) stop() {
	if in.cmd != nil && in.cmd.Process != nil {
		in.cmd.Process.Signal(syscall.SIGTERM)
		in.cmd.Wait()
	}
}

func run() {
	dir, err := os.MkdirTemp("", "commonsd-load-")
	check(err)
	defer os.RemoveAll(dir)
	bin := *prebuilt
	if bin == "" {
		bin = filepath.Join(dir, "commonsd")
		build := exec.Command("go", "build", "-o", bin, "./cmd/commonsd")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		check(build.Run())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	in := &instance{bin: bin, dir: dir, addr: addr, url: "http://" + addr}
	in.env = []string{"COMMONSD_DATA_DIR=" + filepath.Join(dir, "data"), "COMMONSD_LOG_LEVEL=error",
		"COMMONSD_DATABASE_DRIVER=" + *driver, "COMMONSD_SERVER_LISTEN=" + addr, "COMMONSD_SERVER_PUBLIC_URL=" + in.url,
		"COMMONSD_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true"}
	bareDSN := ""
	switch *driver {
	case "postgres":
		if *dsn == "" {
			log.Fatal("-dsn or COMMONSD_TEST_POSTGRES_DSN is required for postgres")
		}
		db, err := sql.Open("pgx", *dsn)
		check(err)
		defer db.Close()
		schema := fmt.Sprintf("load_%d", time.Now().UnixNano())
		for _, s := range []string{schema, schema + "_bare"} {
			_, err = db.Exec("CREATE SCHEMA " + s)
			check(err)
			defer db.Exec("DROP SCHEMA " + s + " CASCADE")
		}
		in.dbDSN = storetest.WithSearchPath(*dsn, schema)
		bareDSN = storetest.WithSearchPath(*dsn, schema+"_bare")
	default:
		in.dbDSN = filepath.Join(dir, "data", "commonsd.db")
		bareDSN = filepath.Join(dir, "bare", "bare.db")
	}
	in.env = append(in.env, "COMMONSD_DATABASE_DSN="+in.dbDSN)
	log.Printf("built %s; preparing the database", bin)
	in.run("migrate")
	in.run("admin", "user", "create", "--username", "ada", "--email", "ada@example.org", "--password", "a long password")
	token := in.run("admin", "token", "create", "--username", "ada")
	in.st, err = store.Open(store.Options{Driver: *driver, DSN: in.dbDSN, MaxOpenConns: 2})
	check(err)
	ctx := context.Background()
	ada, err := in.st.ActorByURI(ctx, in.url+"/users/ada")
	check(err)

	p := startPeer()
	bare := startBare(p, bareDSN)
	defer bare.stop()
	in.start()
	defer in.stop()
	pid := in.cmd.Process.Pid
	c := newClient()
	fmt.Printf("# commonsd load, %s, server on core %s (pid %d), load on core %s, %d connections, %v per load\n",
		*driver, *serverCore, pid, *loadCore, *conns, *duration)
	want := func(name string) bool { return *only == "" || slices.Contains(strings.Split(*only, ","), name) }

	// Ceilings.
	echo := closedLoop(bare.pid, *duration, 0, func(int) int { return loadgen.Get(c, bare.url+"/echo", apAccept, nil) })
	line("ceiling: bare echo handler (actor document bytes)", echo, "req")

	actorURL := in.url + "/users/ada"
	if want("webfinger") {
		line("WebFinger GET", closedLoop(pid, *duration, 0, func(int) int {
			return loadgen.Get(c, in.url+"/.well-known/webfinger?resource=acct:ada@"+addr, "", nil)
		}), "req")
	}
	if want("actor") {
		line("actor GET, unsigned", closedLoop(pid, *duration, 0, func(int) int { return loadgen.Get(c, actorURL, apAccept, nil) }), "req")
	}
	if want("actor-signed") {
		hs := p.signedGets(actorURL, 256)
		// The first signed GET fetches and caches the peer's key.
		loadgen.Get(c, actorURL, apAccept, hs[0])
		line("actor GET, signed", closedLoop(pid, *duration, 0, func(i int) int { return loadgen.Get(c, actorURL, apAccept, hs[i%len(hs)]) }), "req")
	}
	if want("nodeinfo") {
		line("NodeInfo GET", closedLoop(pid, *duration, 0, func(int) int { return loadgen.Get(c, in.url+"/nodeinfo/2.1", "", nil) }), "req")
	}

	inbox := in.url + "/users/ada/inbox"
	if want("inbox-mention") || want("inbox-followed") {
		acts := p.presign(inbox, 2000, ada.URI, "bare")
		rb := closedLoop(bare.pid, *duration, len(acts), func(i int) int { return post(c, bare.url+"/users/ada/inbox", acts[i]) })
		line("ceiling: bare signature check + INSERT", rb, "activity")
	}
	if want("inbox-mention") {
		inboxLoad(in, c, p, pid, inbox, ada.URI, "mention", "signed inbox Create{Note} mentioning ada")
	}
	if want("inbox-followed") {
		remote, err := in.st.ActorByURI(ctx, p.uri)
		if err != nil { // no inbox load yet: the first POST stores the peer
			s := p.presign(inbox, 1, ada.URI, "first")
			post(c, inbox, s[0])
			if *role != "web" { // role web stores the sender with its key, unprocessed
				waitDrained(in)
			}
			remote, err = in.st.ActorByURI(ctx, p.uri)
			check(err)
		}
		check(in.st.CreateFollow(ctx, &models.Follow{ID: models.NewID(), URI: in.url + "/follows/" + models.NewID(),
			FollowerID: ada.ID, TargetID: remote.ID, State: models.FollowAccepted}))
		inboxLoad(in, c, p, pid, inbox, "", "followed", "signed inbox Create{Note} from a followed actor")
	}
	if want("fanout") {
		fanOut(in, c, p, bare, pid, ada, token)
	}
}

func line(what string, r loadgen.Result, unit string) {
	bad := 0
	for s, n := range r.Status {
		if s == 0 || s >= 400 {
			bad += n
		}
	}
	cpu := ""
	if r.CPU > 0 {
		cpu = fmt.Sprintf(", server CPU %.3f ms/%s", r.CPUPer(), unit)
	}
	failed := ""
	if bad > 0 {
		failed = fmt.Sprintf(", statuses %v", r.Status)
	}
	fmt.Printf("%-52s %8.0f/s  p50 %6.1f ms  p99 %6.1f ms%s  (%d requests%s)\n", what, r.Rate(), r.Q(.5), r.Q(.99), cpu, r.N, failed)
}

// inboxLoad posts -inbox-n pre-signed activities (closed loop, at most
// -duration), then waits until the server processed every one of them.
func inboxLoad(in *instance, c *http.Client, p *peer, pid int, inbox, mention, tag, what string) {
	acts := p.presign(inbox, *inboxN, mention, tag)
	cpu0 := procCPU(pid)
	start := time.Now()
	r := closedLoop(pid, *duration, len(acts), func(i int) int { return post(c, inbox, acts[i]) })
	line(what+": accepted", r, "request")
	if *role == "web" { // no worker: what was measured is accepting alone
		return
	}
	waitDrained(in)
	el := time.Since(start)
	cpu := procCPU(pid) - cpu0
	acc := r.Status[http.StatusAccepted]
	fmt.Printf("%-52s %8.0f/s  (%d accepted, all processed %.1f s after the first POST), server CPU %.3f ms/activity (accept + process)\n",
		what+": stored until drained", float64(acc)/el.Seconds(), acc, el.Seconds(), float64(cpu)/float64(time.Millisecond)/float64(max(acc, 1)))
}

// waitDrained waits until no inbound activity is pending.
func waitDrained(in *instance) {
	t0 := time.Now()
	for {
		var n int64
		check(in.st.DB.Model(&models.Activity{}).Where("state = ?", models.ActivityPending).Count(&n).Error)
		if n == 0 {
			return
		}
		if time.Since(t0) > 10*time.Minute {
			log.Fatalf("%d activities still pending after 10 minutes", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fanOut: ada gets -hosts × -per-host followers (shared inbox per host); each
// of -rounds notes must reach every host once.
func fanOut(in *instance, c *http.Client, p *peer, bare *bareProc, pid int, ada *models.Actor, token string) {
	p.startSinks(*hosts)
	var actors []models.Actor
	var follows []models.Follow
	for _, h := range p.sinkHosts {
		for j := range *perHost {
			uri := fmt.Sprintf("http://%s/users/u%d", h, j)
			a := models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: fmt.Sprintf("u%d", j),
				UsernameLower: fmt.Sprintf("u%d", j), Domain: h, URI: uri, InboxURI: uri + "/inbox",
				SharedInbox: "http://" + h + "/inbox", PublicKeyID: uri + "#main-key"}
			actors = append(actors, a)
			follows = append(follows, models.Follow{ID: models.NewID(), URI: uri + "/follows/1", FollowerID: a.ID,
				TargetID: ada.ID, State: models.FollowAccepted})
		}
	}
	check(in.st.DB.CreateInBatches(actors, 200).Error)
	check(in.st.DB.CreateInBatches(follows, 500).Error)
	var total, cpu time.Duration
	for r := range *rounds {
		p.sinkCount.Store(0)
		cpu0 := procCPU(pid)
		start := time.Now()
		body, _ := json.Marshal(map[string]string{"content": fmt.Sprintf("round %d to every follower", r)})
		req, _ := http.NewRequest(http.MethodPost, in.url+"/api/v1/notes", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		if s := loadgen.Do(c, req); s != http.StatusCreated {
			log.Fatalf("post note: %d", s)
		}
		for p.sinkCount.Load() < int64(*hosts) {
			if time.Since(start) > 5*time.Minute {
				log.Fatalf("fan-out round %d: %d of %d POSTs after 5 min", r, p.sinkCount.Load(), *hosts)
			}
			time.Sleep(2 * time.Millisecond)
		}
		total += time.Since(start)
		cpu += procCPU(pid) - cpu0
	}
	n := *hosts * *rounds
	rate := float64(n) / total.Seconds()
	fmt.Printf("%-52s %8.0f/s  (%d POSTs), server CPU %.3f ms/POST; raw RSA-2048 signing on the server core %.0f/s: %.0f %%\n",
		"fan-out: signed POSTs", rate, n, float64(cpu)/float64(time.Millisecond)/float64(n), bare.signRate, 100*rate/bare.signRate)
}

// bareProc is this binary in LOAD_BARE mode on the server's core: the ceilings.
type bareProc struct {
	cmd      *exec.Cmd
	pid      int
	url      string
	signRate float64
}

func startBare(p *peer, bareDSN string) *bareProc {
	self, err := os.Executable()
	check(err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command("taskset", "-c", *serverCore, self, "-driver", *driver)
	cmd.Env = append(os.Environ(), "LOAD_BARE="+addr, "LOAD_BARE_DSN="+bareDSN, "LOAD_BARE_PEM="+string(p.pem),
		"LOAD_BARE_KEYID="+p.keyID, "LOAD_BARE_DOC="+string(p.doc))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	check(cmd.Start())
	b := &bareProc{cmd: cmd, pid: cmd.Process.Pid, url: "http://" + addr}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		select {
		case err := <-exited:
			log.Fatalf("the ceiling process ended: %v", err)
		default:
		}
		if resp, err := http.Get(b.url + "/ready"); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				b.signRate, _ = strconv.ParseFloat(string(body), 64)
				return b
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *bareProc) stop() { b.cmd.Process.Signal(syscall.SIGTERM) }

type staticKey struct{ k *signing.Key }

func (s staticKey) FetchKey(context.Context, string, bool) (*signing.Key, error) { return s.k, nil }

// runBare serves the ceilings: /echo (the actor document's bytes), /inbox
// (signature check with the key in memory + one INSERT through the store), and
// /ready answering the RSA-2048 signatures per second measured first.
func runBare() {
	pub, err := signing.DecodePublicKey([]byte(os.Getenv("LOAD_BARE_PEM")))
	check(err)
	keyID := os.Getenv("LOAD_BARE_KEYID")
	owner := strings.TrimSuffix(keyID, "#main-key")
	doc := []byte(os.Getenv("LOAD_BARE_DOC"))
	st, err := store.Open(store.Options{Driver: *driver, DSN: os.Getenv("LOAD_BARE_DSN")})
	check(err)
	check(st.Migrate(context.Background()))
	v := &signing.Verifier{Keys: staticKey{&signing.Key{ID: keyID, Owner: owner, Public: pub}}, PublicScheme: "http"}

	key, err := signing.GenerateKey()
	check(err)
	var n int
	t0 := time.Now()
	for ; time.Since(t0) < 2*time.Second; n++ {
		h := sha256.Sum256(fmt.Appendf(nil, "activity %d", n))
		_, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
		check(err)
	}
	signRate := float64(n) / time.Since(t0).Seconds()

	mux := http.NewServeMux()
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "%.1f", signRate) })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", apAccept)
		w.Write(doc)
	})
	// The path the activities were signed for (the signature covers it).
	mux.HandleFunc("/users/ada/inbox", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if _, err := v.Verify(r.Context(), r, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		row := &models.Activity{ID: models.NewID(), URI: models.NewID(), Type: "Create", ActorURI: owner, Raw: string(body), State: models.ActivityPending}
		if err := st.CreateActivity(r.Context(), row); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
	log.Fatal(http.ListenAndServe(os.Getenv("LOAD_BARE"), mux))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
