package vocab

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseInboundAcceptsEveryFixture: the strict reading accepts every real
// payload we hold and agrees with the lenient reading on everything the inbox
// checks and acts on.
func TestParseInboundAcceptsEveryFixture(t *testing.T) {
	eachFixture(t, 50, func(t *testing.T, data []byte) {
		strict, err := ParseInbound(data)
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		lenient, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			a, b any
		}{
			{"id", strict.ID, lenient.ID}, {"type", strict.Type, lenient.Type},
			{"actor", strict.Actor, lenient.Actor}, {"object", strict.ObjectID(), lenient.ObjectID()},
			{"to", strict.To, lenient.To}, {"cc", strict.CC, lenient.CC},
			{"attributedTo", strict.AttributedTo, lenient.AttributedTo},
		} {
			if !reflect.DeepEqual(c.a, c.b) {
				t.Errorf("%s: strict %v, lenient %v", c.name, c.a, c.b)
			}
		}
	})
}

// TestParseInboundRefuses lists the ambiguous shapes the strict reading refuses.
func TestParseInboundRefuses(t *testing.T) {
	const head = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/1",`
	cases := []struct{ name, doc, reason string }{
		{"duplicate actor", head + `"type":"Follow","actor":"https://a.example/u/x","actor":"https://b.example/u/v","object":"https://c.example/u/y"}`, "duplicate key"},
		{"Actor after actor", head + `"type":"Follow","actor":"https://a.example/u/x","Actor":"https://b.example/u/v","object":"https://c.example/u/y"}`, "differ only in case"},
		{"ACTOR", head + `"type":"Follow","ACTOR":"https://b.example/u/v","actor":"https://a.example/u/x","object":"https://c.example/u/y"}`, "ACTOR"},
		{"Kelvin sign", head + `"type":"Follow","actor":"https://a.example/u/x","object":"https://c.example/u/y","\u212aey":1,"key":2}`, "differ only in case"},
		{"nested duplicate", head + `"type":"Create","actor":"https://a.example/u/x","object":{"id":"https://a.example/n/1","type":"Note","content":"a","content":"b"}}`, "duplicate key"},
		{"nested case variant", head + `"type":"Create","actor":"https://a.example/u/x","object":{"id":"https://a.example/n/1","type":"Note","attributedTo":"https://a.example/u/x","attributedto":"https://b.example/u/v"}}`, "differ only in case"},
		{"actor array", head + `"type":"Follow","actor":[{"type":"Link","href":"https://b.example/u/v"},"https://a.example/u/x"],"object":"https://c.example/u/y"}`, "not a list"},
		{"actor Link", head + `"type":"Follow","actor":{"type":"Link","href":"https://b.example/u/v"},"object":"https://c.example/u/y"}`, "Link"},
		{"actor Mention", head + `"type":"Follow","actor":{"type":"Mention","id":"https://b.example/u/v"},"object":"https://c.example/u/y"}`, "Mention"},
		{"actor object without id", head + `"type":"Follow","actor":{"type":"Person"},"object":"https://c.example/u/y"}`, "no absolute"},
		{"actor not http", head + `"type":"Follow","actor":"acct:x@a.example","object":"https://c.example/u/y"}`, "http(s)"},
		{"actor null", head + `"type":"Follow","actor":null,"object":"https://c.example/u/y"}`, "null"},
		{"object array for Follow", head + `"type":"Follow","actor":"https://a.example/u/x","object":["https://c.example/u/y","https://c.example/u/z"]}`, "one object"},
		{"object array null first", head + `"type":"Create","actor":"https://a.example/u/x","object":[null,{"id":"https://b.example/n/1","type":"Note"}]}`, "null"},
		{"object array id-less first", head + `"type":"Create","actor":"https://a.example/u/x","object":[{"type":"Note"},{"id":"https://b.example/n/1","type":"Note"}]}`, "one object"},
		{"id-less object", head + `"type":"Create","actor":"https://a.example/u/x","object":{"type":"Note","content":"x"}}`, "no id"},
		{"null in to", head + `"type":"Create","actor":"https://a.example/u/x","to":[null,"https://b.example/u/v"],"object":"https://a.example/n/1"}`, "null"},
		{"number in cc", head + `"type":"Create","actor":"https://a.example/u/x","cc":[1],"object":"https://a.example/n/1"}`, "where an id belongs"},
		{"null in nested audience", head + `"type":"Create","actor":"https://a.example/u/x","object":{"id":"https://a.example/n/1","type":"Note","audience":[null]}}`, "null"},
		{"nested actor array", head + `"type":"Undo","actor":"https://a.example/u/x","object":{"id":"https://a.example/f/1","type":"Follow","actor":["https://b.example/u/v"],"object":"https://c.example/u/y"}}`, "not a list"},
		{"nested object list", head + `"type":"Undo","actor":"https://a.example/u/x","object":{"id":"https://a.example/f/1","type":"Follow","actor":"https://a.example/u/x","object":["https://c.example/u/y","https://c.example/u/z"]}}`, "one object"},
		{"too many tags", head + `"type":"Create","actor":"https://a.example/u/x","object":{"id":"https://a.example/n/1","type":"Note","tag":[` + strings.TrimSuffix(strings.Repeat(`{"type":"Hashtag","name":"#a"},`, MaxTags+1), ",") + `]}}`, "at most"},
		{"too many addressees", head + `"type":"Create","actor":"https://a.example/u/x","to":[` + strings.TrimSuffix(strings.Repeat(`"https://b.example/u/v",`, MaxAddressees+1), ",") + `],"object":"https://a.example/n/1"}`, "at most"},
		{"lone case variant of object", head + `"type":"Like","actor":"https://a.example/u/x","oBjeCt":"https://b.example/n/1"}`, "case-sensitive"},
		{"lone Actor", head + `"type":"Like","Actor":"https://b.example/u/y","object":"https://b.example/n/1"}`, "case-sensitive"},
		{"two verbs", head + `"type":["Create","Delete"],"actor":"https://a.example/u/x","object":"https://a.example/n/1"}`, "one type"},
		{"nested two verbs", head + `"type":"Announce","actor":"https://a.example/u/x","object":{"id":"https://a.example/d/1","type":["Note","Delete"],"object":"https://b.example/n/1"}}`, "one type"},
		{"activity without actor", head + `"type":"Like","object":"https://a.example/n/1"}`, "without actor"},
		{"id too long", `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/` + strings.Repeat("x", MaxIRILength) + `","type":"Like","actor":"https://a.example/u/x","object":"https://b.example/n/1"}`, "at most"},
		{"object id too long", head + `"type":"Like","actor":"https://a.example/u/x","object":"https://b.example/` + strings.Repeat("x", MaxIRILength) + `"}`, "at most"},
		{"nested id too long", head + `"type":"Create","actor":"https://a.example/u/x","object":{"id":"https://a.example/` + strings.Repeat("x", MaxIRILength) + `","type":"Note"}}`, "at most"},
		{"too deep", head + `"type":"Like","actor":"https://a.example/u/x","object":"https://a.example/n/1","x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "nested deeper"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInbound([]byte(tc.doc))
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("err = %v, want a refusal", err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("reason %q does not say %q", err, tc.reason)
			}
		})
	}
	for _, bad := range []struct {
		doc  string
		want error
	}{
		{`{"a":`, ErrInvalidJSON},
		{`{"a":1} {"b":2}`, ErrInvalidJSON},
		{"{\"a\":\"\xff\"}", ErrInvalidJSON},
		{`[1]`, ErrNotJSONObject},
	} {
		if _, err := ParseInbound([]byte(bad.doc)); !errors.Is(err, bad.want) {
			t.Errorf("%q: err = %v, want %v", bad.doc, err, bad.want)
		}
	}
}

// TestParseInboundKeepsIDsByteForByte: WordPress ids with a second '#' or
// "&#038;" are kept as sent.
func TestParseInboundKeepsIDsByteForByte(t *testing.T) {
	id := "https://blog.example/?p=1&#038;c=2#comment-3#x"
	o, err := ParseInbound([]byte(`{"id":"https://a.example/l/1","type":"Like","actor":"https://a.example/u/x","object":"` + id + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if o.ObjectID() != id {
		t.Fatalf("object id %q, want %q", o.ObjectID(), id)
	}
}

// TestSerializeKeepsIDsByteForByte: ids that url.URL would re-encode (a
// second '#', "&#038;") are written as given, in every IRI-valued field.
func TestSerializeKeepsIDsByteForByte(t *testing.T) {
	for _, id := range []string{
		"https://blog.example/?p=1&#038;c=2#comment-3#x",
		"https://blog.example/2026/post/#comment-5#reply",
		"https://blog.example/a%2Fb?q=%7e",
	} {
		for _, o := range []*Object{
			{ID: "https://a.example/likes/1", Type: "Like", Actor: "https://a.example/u/x", Object: Ref(id)},
			{ID: "https://a.example/undo/1", Type: "Undo", Actor: "https://a.example/u/x",
				Object: &Object{ID: "https://a.example/likes/1", Type: "Like", Actor: "https://a.example/u/x", Object: Ref(id)}},
			{ID: "https://a.example/boosts/1", Type: "Announce", Actor: "https://a.example/u/x", Object: Ref(id), To: []string{PublicAddress}},
			{ID: id, Type: "Note", AttributedTo: []string{"https://a.example/u/x"}, InReplyTo: id, URL: id, To: []string{id}, Content: "x"},
		} {
			b, err := Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseInbound(b)
			if err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			got := back.ObjectID()
			if o.Type == "Undo" {
				got = back.Object.ObjectID()
			}
			if o.Type == "Note" {
				got = back.ID
				if back.InReplyTo != id || back.URL != id || len(back.To) != 1 || back.To[0] != id {
					t.Errorf("note fields rewritten: %s", b)
				}
			}
			if got != id {
				t.Errorf("%s of %q written as %q: %s", o.Type, id, got, b)
			}
		}
	}
}
