// Package fedpeer runs an independent ActivityPub server (Fedify, Node.js) as a
// test peer and drives it through its JSON control API.
//
// The peer lives in testdata/fedpeer (see peer.mjs there). Each Start spawns one
// `node peer.mjs 0` process on 127.0.0.1 with a single actor, alice, that has an
// RSA-2048 key (draft-cavage signatures) and an Ed25519 key (Object Integrity
// Proofs). Fedify verifies every inbound signature itself; what it accepted is in
// Inbox, what it refused in Rejected and Requests, and its log goes to the test
// log when the test fails (or always with FEDPEER_VERBOSE=1).
//
// Needs node and npm on PATH. Without them the test is skipped, unless CI=true,
// where it fails. node_modules is installed with `npm ci` on first use.
package fedpeer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Public is the ActivityStreams public collection, usable as a Post recipient.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// Activity is one activity the peer received and Fedify verified.
type Activity struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Actor  string `json:"actor"`
	Object string `json:"object"` // object id (embedded objects: their id)
	// JSON is Fedify's re-serialization (activity.toJsonLd()); Raw is the body
	// exactly as POSTed to the inbox (nil if it could not be matched by id).
	JSON json.RawMessage `json:"json"`
	Raw  json.RawMessage `json:"raw"`
	// For Create, Update and Announce: the object after activity.getObject()
	// (fetched from its origin unless embedded and same-origin), or the error.
	FetchedObject *Object `json:"fetchedObject"`
	FetchError    *string `json:"fetchError"`
	ReceivedAt    string  `json:"receivedAt"`
	Recipient     *string `json:"recipient"` // "alice", or nil on the shared inbox
}

// Object summarizes a dereferenced object.
type Object struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Content *string         `json:"content"`
	JSON    json.RawMessage `json:"json"`
}

// Rejection is an inbox POST whose signature Fedify could not verify.
type Rejection struct {
	ID     string          `json:"id"`
	Actor  string          `json:"actor"`
	Reason string          `json:"reason"`
	JSON   json.RawMessage `json:"json"`
	At     string          `json:"at"`
}

// Request is one non-GET request the peer served on its federation routes.
type Request struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
	Response string            `json:"response,omitempty"` // body of a >= 400 answer
	At       string            `json:"at"`
}

// Following is one outgoing follow and its state: pending, accepted or rejected.
type Following struct {
	Target   string `json:"target"`
	FollowID string `json:"followId"`
	State    string `json:"state"`
}

// Peer is a running Fedify peer.
type Peer struct {
	base   string
	actor  string
	client *http.Client
	cmd    *exec.Cmd
	log    *syncBuffer
}

// Dir returns the absolute path of testdata/fedpeer.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("fedpeer: runtime.Caller failed")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "fedpeer")
}

func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("fedpeer: "+format, args...)
	}
	t.Skipf("fedpeer: "+format, args...)
}

var installMu sync.Mutex

// install runs `npm ci` if node_modules is missing. It installs into a scratch
// directory and renames node_modules into place, so concurrent test binaries
// (go test ./... runs packages in parallel) never see a half-installed tree.
func install(t testing.TB, dir string) {
	t.Helper()
	installMu.Lock()
	defer installMu.Unlock()
	marker := filepath.Join(dir, "node_modules", "@fedify", "fedify", "package.json")
	if _, err := os.Stat(marker); err == nil {
		return
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		unavailable(t, "npm not installed")
	}
	tmp, err := os.MkdirTemp(dir, ".install-")
	if err != nil {
		t.Fatalf("fedpeer: %v", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("fedpeer: %v", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			t.Fatalf("fedpeer: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		unavailable(t, "npm ci in %s failed: %v\n%s", tmp, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		if _, statErr := os.Stat(marker); statErr != nil { // not another process winning the race
			t.Fatalf("fedpeer: installing node_modules: %v", err)
		}
	}
	t.Logf("fedpeer: npm ci took %v", time.Since(start).Round(time.Millisecond))
}

// Start launches a peer and stops it when the test ends. Extra environment
// variables (e.g. "FEDPEER_ED25519=0", "FEDPEER_LOG=debug") may be passed.
func Start(t testing.TB, env ...string) *Peer {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node not installed")
	}
	dir := Dir()
	install(t, dir)

	log := &syncBuffer{}
	cmd := exec.Command(node, "peer.mjs", "0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("fedpeer: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("fedpeer: starting node: %v", err)
	}
	p := &Peer{cmd: cmd, log: log, client: &http.Client{Timeout: 30 * time.Second}}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() || os.Getenv("FEDPEER_VERBOSE") == "1" {
			t.Logf("fedpeer %s log:\n%s", p.base, log.String())
		}
	})

	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if port, ok := strings.CutPrefix(line, "READY "); ok {
				select {
				case ready <- strings.TrimSpace(port):
				default:
				}
				continue
			}
			log.Write([]byte("stdout: " + line + "\n"))
		}
		close(ready)
	}()
	select {
	case port, ok := <-ready:
		if !ok {
			t.Fatalf("fedpeer: node exited before READY\n%s", log.String())
		}
		p.base = "http://127.0.0.1:" + port
	case <-time.After(30 * time.Second):
		t.Fatalf("fedpeer: no READY line within 30s\n%s", log.String())
	}

	var r struct {
		Actor string `json:"actor"`
	}
	if err := p.call(http.MethodGet, "/_control/ready", nil, &r); err != nil {
		t.Fatalf("fedpeer: %v", err)
	}
	p.actor = r.Actor
	return p
}

// BaseURL is the peer's origin, e.g. http://127.0.0.1:41234.
func (p *Peer) BaseURL() string { return p.base }

// ActorURL is alice's actor id, e.g. http://127.0.0.1:41234/users/alice.
func (p *Peer) ActorURL() string { return p.actor }

// InboxURL is alice's personal inbox; SharedInboxURL the peer's shared inbox.
func (p *Peer) InboxURL() string       { return p.actor + "/inbox" }
func (p *Peer) SharedInboxURL() string { return p.base + "/inbox" }

// Log returns what the node process wrote so far (Fedify's log, stderr).
func (p *Peer) Log() string { return p.log.String() }

// Inbox returns every activity received and verified so far, oldest first.
func (p *Peer) Inbox() ([]Activity, error) {
	var as []Activity
	return as, p.call(http.MethodGet, "/_control/inbox", nil, &as)
}

// Rejected returns the activities Fedify refused for bad or missing signatures.
func (p *Peer) Rejected() ([]Rejection, error) {
	var rs []Rejection
	return rs, p.call(http.MethodGet, "/_control/rejected", nil, &rs)
}

// Requests returns every non-GET request served on the federation routes,
// with its status (a rejected delivery shows up here with status >= 400).
func (p *Peer) Requests() ([]Request, error) {
	var rs []Request
	return rs, p.call(http.MethodGet, "/_control/requests", nil, &rs)
}

// WaitFor polls the inbox until pred matches an activity, and fails the test
// (with the peer's log) on timeout.
func (p *Peer) WaitFor(t testing.TB, pred func(Activity) bool, timeout time.Duration) Activity {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last []Activity
	var lastErr error
	for {
		as, err := p.Inbox()
		if err == nil {
			last = as
			for _, a := range as {
				if pred(a) {
					return a
				}
			}
		}
		lastErr = err
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var types []string
	for _, a := range last {
		types = append(types, a.Type+" "+a.ID)
	}
	rej, _ := p.Requests()
	var bad []string
	for _, r := range rej {
		if r.Status >= 400 {
			bad = append(bad, fmt.Sprintf("%s %s -> %d: %s", r.Method, r.Path, r.Status, r.Response))
		}
	}
	t.Fatalf("fedpeer: no matching activity within %v (last error: %v)\ninbox: %q\nrefused requests: %q",
		timeout, lastErr, types, bad)
	return Activity{}
}

// OfType matches activities of type typ, optionally from actor (if non-empty).
func OfType(typ, actor string) func(Activity) bool {
	return func(a Activity) bool { return a.Type == typ && (actor == "" || a.Actor == actor) }
}

// Follow makes alice follow the actor at target (an actor URL, not an acct:
// handle) and returns the Follow's id. The Accept arrives in the Inbox.
func (p *Peer) Follow(target string) (string, error) {
	return p.idCall("/_control/follow", map[string]any{"target": target})
}

// Unfollow sends Undo(Follow) to target and returns the Undo's id.
func (p *Peer) Unfollow(target string) (string, error) {
	return p.idCall("/_control/unfollow", map[string]any{"target": target})
}

// Join has alice send Join{target} (a community's Group actor URL) and
// returns the Join's id; the Accept or Reject arrives in the Inbox.
func (p *Peer) Join(target string) (string, error) {
	return p.idCall("/_control/join", map[string]any{"target": target})
}

// Vote has alice vote option on the poll question (a Question's id) as
// Mastodon does — Create{Note{name, inReplyTo, attributedTo, to: author}} sent
// to author only — and returns the vote Note's id.
func (p *Peer) Vote(question, option, author string) (string, error) {
	return p.idCall("/_control/vote", map[string]any{"question": question, "option": option, "to": author})
}

// Field is one entry of an actor's `attachment` as Fedify's vocab parsed it;
// Type is "PropertyValue" for a profile field (Name and Value set), else the
// vocab class of the attachment.
type Field struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// LookedUp is an actor as alice's signed lookup parsed it.
type LookedUp struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"` // Fedify's class: Person, Group, …
	Attachments []Field `json:"attachments"`
}

// Lookup has alice fetch the actor at target (signed) and returns it as
// Fedify's vocabulary parsed it.
func (p *Peer) Lookup(target string) (*LookedUp, error) {
	var l LookedUp
	return &l, p.call(http.MethodPost, "/_control/lookup", map[string]any{"target": target}, &l)
}

// Post has alice publish a Note (Create) to her followers and to each actor URL
// in to (Public by default), and returns the Note id, which is fetchable.
func (p *Peer) Post(content string, to ...string) (string, error) {
	body := map[string]any{"content": content}
	if len(to) > 0 {
		body["to"] = to
	}
	return p.idCall("/_control/post", body)
}

// Reply has alice publish a Note answering inReplyTo (a URL), like Post;
// Mastodon-style, pass the parent's author in to.
func (p *Peer) Reply(content, inReplyTo string, to ...string) (string, error) {
	body := map[string]any{"content": content, "inReplyTo": inReplyTo}
	if len(to) > 0 {
		body["to"] = to
	}
	return p.idCall("/_control/post", body)
}

// Announce has alice boost object (a URL) to her followers and its author.
func (p *Peer) Announce(object string) (string, error) {
	return p.idCall("/_control/announce", map[string]any{"object": object})
}

// Like has alice like object (a URL); the Like goes to its author.
func (p *Peer) Like(object string) (string, error) {
	return p.idCall("/_control/like", map[string]any{"object": object})
}

// SignedPost is the answer to SignedPostEd25519.
type SignedPost struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
	KeyID  string `json:"keyId"`
}

// SignedPostEd25519 has the peer POST activity (a JSON object, or its text as
// a string) to inbox signed with RFC 9421 and its Ed25519 key, keyid = its
// Multikey id (Fedify itself signs HTTP requests with RSA only).
func (p *Peer) SignedPostEd25519(inbox string, activity any) (*SignedPost, error) {
	var out SignedPost
	err := p.call(http.MethodPost, "/_control/signed-post", map[string]any{"inbox": inbox, "activity": activity}, &out)
	return &out, err
}

// Followers returns the actor ids following alice.
func (p *Peer) Followers() ([]string, error) {
	var fs []string
	return fs, p.call(http.MethodGet, "/_control/followers", nil, &fs)
}

// Following returns alice's outgoing follows and their states.
func (p *Peer) Following() ([]Following, error) {
	var fs []Following
	return fs, p.call(http.MethodGet, "/_control/following", nil, &fs)
}

func (p *Peer) idCall(path string, body any) (string, error) {
	var r struct {
		ID string `json:"id"`
	}
	err := p.call(http.MethodPost, path, body, &r)
	return r.ID, err
}

func (p *Peer) call(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("fedpeer %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("fedpeer %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("fedpeer %s %s: %d: %s", method, path, resp.StatusCode, e.Error)
		}
		return fmt.Errorf("fedpeer %s %s: %d: %s", method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return errors.Join(fmt.Errorf("fedpeer %s %s: decoding answer", method, path), err)
	}
	return nil
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
