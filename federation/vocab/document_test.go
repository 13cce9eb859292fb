package vocab

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseDocumentMatchesParse: every stored fixture reads through the strict
// direct reader of fetched documents, and reads the same as through Parse (the
// go-fed overlay): dropping go-fed from the fetch path loses nothing.
func TestParseDocumentMatchesParse(t *testing.T) {
	eachFixture(t, 100, func(t *testing.T, data []byte) {
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
