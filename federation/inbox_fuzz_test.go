package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/internal/fixtures"
)

// FuzzInboxActor mutates real activities and checks the inbox's promise: for
// any body the inbox would accept (vocab.ParseInbound, then checkClaims with
// the key owner, who must be the actor), the processing job's reading of the
// same bytes acts as the verified signer and no other reader of those bytes
// (encoding/json's case-insensitive struct decode, the lenient map reader)
// names another actor or object. Run:
//
//	go test ./federation/ -run '^$' -fuzz FuzzInboxActor -fuzztime 5m
func FuzzInboxActor(f *testing.F) {
	root := fixtures.Dir(f)
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") || !strings.Contains(path, "activities") {
			return err
		}
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
		return nil
	})
	for _, s := range []string{
		`{"id":"https://a.example/1","type":"Follow","actor":"https://a.example/u/x","Actor":"https://b.example/u/y","object":"https://c.example/u/z"}`,
		`{"id":"https://a.example/1","type":"Create","actor":[{"type":"Link","href":"https://b.example/u/y"},"https://a.example/u/x"],"object":[null,{"id":"https://a.example/n/1","type":"Note","attributedTo":"https://a.example/u/x"}]}`,
		`{"id":"https://a.example/1","type":"Undo","actor":"https://a.example/u/x","object":{"id":"https://a.example/f/1","type":"Follow","actor":"https://a.example/u/x","object":"https://c.example/u/z"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		act, err := vocab.ParseInbound(data)
		if err != nil || !act.IsActivity() || act.Actor == "" || hostOf(act.Actor) == "" {
			return // refused at the inbox
		}
		signer := act.Actor // the inbox refuses any key whose owner is not act.Actor
		if checkClaims(act, signer) != nil {
			return
		}
		// The processing job: same bytes, same function, same actor.
		again, err := vocab.ParseInbound(data)
		if err != nil {
			t.Fatalf("processing refuses what the inbox accepted: %v", err)
		}
		if again.Actor != signer {
			t.Fatalf("processing acts as %q, the inbox verified %q", again.Actor, signer)
		}
		if again.Type != act.Type || again.ObjectID() != act.ObjectID() || !reflect.DeepEqual(again.Raw, act.Raw) {
			t.Fatalf("two readings of the same bytes differ")
		}
		// What an embedded activity or object claims about its actor and author.
		if o := act.Object; o != nil && !o.IsIRIOnly() {
			switch act.Type {
			case "Create", "Update", "Delete", "Undo", "Offer":
				if (o.IsActivity() || act.Type == "Undo") && o.Actor != "" && o.Actor != signer {
					t.Fatalf("embedded %s acts as %q, signer %q", o.Type, o.Actor, signer)
				}
			}
			switch act.Type {
			case "Create", "Update":
				if !o.IsActor() && len(o.AttributedTo) > 0 && o.AttributedTo[0] != signer {
					t.Fatalf("embedded object attributed to %q, signer %q", o.AttributedTo[0], signer)
				}
				if o.IsActor() && act.Type == "Update" && o.ID != signer {
					t.Fatalf("update of actor %q by %q", o.ID, signer)
				}
			}
		}
		// Any other reader of the accepted bytes agrees (no second reading can
		// disagree about who acts or on what).
		var peek struct {
			Actor  json.RawMessage `json:"actor"`
			Object json.RawMessage `json:"object"`
		}
		if err := json.Unmarshal(data, &peek); err == nil {
			var s string
			if json.Unmarshal(peek.Actor, &s) == nil && s != signer {
				t.Fatalf("encoding/json reads actor %q, strict %q", s, signer)
			}
			var ref struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(peek.Actor, &ref) == nil && ref.ID != "" && ref.ID != signer {
				t.Fatalf("encoding/json reads actor id %q, strict %q", ref.ID, signer)
			}
			if json.Unmarshal(peek.Object, &s) == nil && s != act.ObjectID() {
				t.Fatalf("encoding/json reads object %q, strict %q", s, act.ObjectID())
			}
			if json.Unmarshal(peek.Object, &ref) == nil && ref.ID != "" && ref.ID != act.ObjectID() {
				t.Fatalf("encoding/json reads object id %q, strict %q", ref.ID, act.ObjectID())
			}
		}
		// A map decode (encoding/json keeps the last of duplicate keys) agrees
		// too. (go-fed's reading is left out: it is slow, ~0.2-0.6 ms a
		// document, which starves the fuzzer, and is no longer on the inbound
		// path.)
		var m map[string]any
		if err := json.Unmarshal(data, &m); err == nil {
			var a string
			switch v := m["actor"].(type) {
			case string:
				a = v
			case map[string]any:
				a, _ = v["id"].(string)
			}
			if a != signer {
				t.Fatalf("map decode reads actor %q, strict %q", a, signer)
			}
		}
	})
}
