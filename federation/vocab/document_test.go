package vocab

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseDocumentMatchesParse: every stored fixture reads through the strict
// direct reader of fetched documents, and reads the same as through Parse (the
// go-fed overlay): dropping go-fed from the fetch path loses nothing.
func TestParseDocumentMatchesParse(t *testing.T) {
	root := fixturesDir(t)
	n := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		n++
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := ParseDocument(data)
			if err != nil {
				t.Fatalf("ParseDocument: %v", err)
			}
			assertSame(t, want, got)
			if got.Raw == nil || got.Raw["id"] != got.ID {
				t.Errorf("Raw not kept: %v", got.Raw["id"])
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d fixtures found", n)
	}
}

// TestParseDocumentStrict: the strict JSON rules apply to fetched documents,
// the activity-only rules do not.
func TestParseDocumentStrict(t *testing.T) {
	const person = `"type":"Person","id":"https://a.example/u/x","inbox":"https://a.example/u/x/inbox"`
	deep := `{"id":"https://a.example/n","type":"Note","content":` + strings.Repeat("[", MaxInboundDepth+1) + strings.Repeat("]", MaxInboundDepth+1) + `}`
	for _, tc := range []struct {
		name, doc string
		want      error // nil: accepted
	}{
		{"plain actor", `{` + person + `}`, nil},
		{"no context accepted", `{"type":"Note","id":"https://a.example/n","content":"hi"}`, nil},
		{"actor list on a non-activity object", `{"type":"Note","id":"https://a.example/n","actor":["https://a.example/u/x","https://b.example/u/y"]}`, nil},
		{"null in an id list", `{"type":"Note","id":"https://a.example/n","to":[null]}`, nil},
		{"duplicate key", `{` + person + `,"inbox":"https://evil.example/inbox"}`, ErrRefused},
		{"keys differing in case", `{` + person + `,"Inbox":"https://evil.example/inbox"}`, ErrRefused},
		{"term in another case", `{"type":"Person","id":"https://a.example/u/x","PublicKey":{}}`, ErrRefused},
		{"trailing data", `{` + person + `} {}`, ErrInvalidJSON},
		{"invalid UTF-8", "{" + person + `,"name":"` + "\xff" + `"}`, ErrInvalidJSON},
		{"too deep", deep, ErrRefused},
		{"not an object", `["https://a.example/n"]`, ErrNotJSONObject},
		{"no id", `{"type":"Note"}`, ErrMissingID},
		{"relative id", `{"type":"Note","id":"/n"}`, ErrInvalidID},
		{"no type", `{"id":"https://a.example/n"}`, ErrMissingType},
		{"activity without actor", `{"type":"Create","id":"https://a.example/c","object":"https://a.example/n"}`, ErrMissingActor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseDocument([]byte(tc.doc))
			if tc.want == nil {
				if err != nil || o == nil || o.ID == "" {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// The readers of a fetched document: Parse (go-fed overlay) against
// ParseDocument (strict direct reading), on a Mastodon note and actor.
func BenchmarkReadFetched(b *testing.B) {
	for _, fx := range []string{"mastodon/objects/note_1.json", "mastodon/objects/person.json"} {
		data := loadFixture(b, fx)
		for _, r := range []struct {
			name string
			fn   func([]byte) (*Object, error)
		}{{"Parse", Parse}, {"ParseDocument", ParseDocument}} {
			b.Run(filepath.Base(fx)+"/"+r.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.fn(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
