package vocab

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// strip removes the fields that are not part of the model's meaning.
func strip(o *Object) *Object {
	if o == nil {
		return nil
	}
	c := *o
	c.Raw, c.VocabErr, c.Extra = nil, nil, nil
	c.Object, c.Target, c.Origin = strip(o.Object), strip(o.Target), strip(o.Origin)
	c.Items = nil
	for _, it := range o.Items {
		c.Items = append(c.Items, strip(it))
	}
	return &c
}

func assertSame(t *testing.T, want, got *Object) {
	t.Helper()
	for _, d := range diff("", reflect.ValueOf(strip(want)), reflect.ValueOf(strip(got))) {
		t.Errorf("round trip: %s", d)
	}
}

// diff lists the differing leaf fields of two values.
func diff(path string, a, b reflect.Value) []string {
	if a.Kind() == reflect.Pointer && b.Kind() == reflect.Pointer && !a.IsNil() && !b.IsNil() &&
		a.Elem().Kind() == reflect.Struct && a.Type() != reflect.TypeOf(&time.Time{}) {
		a, b = a.Elem(), b.Elem()
	}
	if a.Kind() == reflect.Struct && a.Type() != reflect.TypeOf(time.Time{}) {
		var out []string
		for i := 0; i < a.NumField(); i++ {
			out = append(out, diff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))...)
		}
		return out
	}
	if a.Kind() == reflect.Slice && a.Len() == b.Len() && a.Type().Elem().Kind() == reflect.Pointer {
		var out []string
		for i := 0; i < a.Len(); i++ {
			out = append(out, diff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))...)
		}
		return out
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return []string{fmt.Sprintf("%s: want %s got %s", path, show(a), show(b))}
	}
	return nil
}

func show(v reflect.Value) string {
	b, _ := json.Marshal(v.Interface())
	if len(b) > 200 {
		b = append(b[:200], "..."...)
	}
	return string(b)
}

func ip(n int) *int { return &n }

var (
	t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	t1 = time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)
)

const base = "https://commons.example"

func person(typ string) *Object {
	id := base + "/u/alice"
	if typ != "Person" {
		id = base + "/c/" + strings.ToLower(typ)
	}
	return &Object{
		ID: id, Type: typ, PreferredUsername: "alice", Name: "Alice", Summary: "<p>hi</p>",
		Inbox: id + "/inbox", Outbox: id + "/outbox", Followers: id + "/followers",
		Following: id + "/following", Featured: id + "/featured", SharedInbox: base + "/inbox",
		URL: base + "/@alice", Published: t0, Icon: base + "/a.png", Image: base + "/h.jpg",
		PublicKey:                 &PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n"},
		ManuallyApprovesFollowers: true, Discoverable: true,
		AlsoKnownAs: []string{"https://old.example/u/alice"}, MovedTo: "https://new.example/u/alice",
		Fields: []PropertyValue{{Name: "Site", Value: "<a href=\"https://a.example\">a</a>"}},
	}
}

func note() *Object {
	return &Object{
		ID: base + "/n/1", Type: "Note", AttributedTo: []string{base + "/u/alice"},
		To: []string{PublicAddress}, CC: []string{base + "/u/alice/followers", "https://m.example/u/bob"},
		Audience: []string{base + "/c/garden"}, Content: "<p>Hello #garden @bob</p>",
		ContentMap: map[string]string{"en": "<p>Hello #garden @bob</p>"}, Summary: "cw", Sensitive: true,
		Source:    &Source{Content: "Hello #garden @bob", MediaType: "text/markdown"},
		Published: t0, Updated: t1, InReplyTo: "https://m.example/n/0", URL: base + "/@alice/1",
		Context: base + "/ctx/1", Conversation: "tag:commons.example,2025:1",
		Tags: []Tag{
			{Type: TagMention, Href: "https://m.example/u/bob", Name: "@bob@m.example"},
			{Type: TagHashtag, Href: base + "/tags/garden", Name: "#garden"},
			{Type: TagEmoji, ID: base + "/emoji/1", Name: ":tomato:", Icon: base + "/emoji/1.png"},
		},
		Attachments: []Attachment{{Type: "Document", MediaType: "image/jpeg", URL: base + "/m/1.jpg", Name: "alt", Blurhash: "UABC", Width: 640, Height: 480}},
		Replies:     base + "/n/1/replies", RepliesCount: 2,
	}
}

func TestRoundTrip(t *testing.T) {
	q := &Object{
		ID: base + "/q/1", Type: "Question", AttributedTo: []string{base + "/c/group"}, Content: "Adopt the charter?",
		To: []string{PublicAddress}, Published: t0, EndTime: t1, Closed: &t1, VotersCount: 7,
		OneOf: []QuestionOption{{Name: "Yes", Replies: 5}, {Name: "No", Replies: 2}},
	}
	qa := &Object{ID: base + "/q/2", Type: "Question", Content: "Which?", EndTime: t1, VotersCount: 3,
		AnyOf: []QuestionOption{{Name: "A", Replies: 1}, {Name: "B"}}}
	act := func(typ string, obj *Object) *Object {
		return &Object{ID: base + "/a/" + strings.ToLower(typ), Type: typ, Actor: base + "/u/alice",
			Object: obj, To: []string{"https://m.example/u/bob"}, Published: t0}
	}
	follow := act("Follow", Ref("https://m.example/u/bob"))
	offer := act("Offer", note())
	offer.Target = Ref(base + "/c/group")
	add := act("Add", Ref(base+"/n/1"))
	add.Target = Ref(base + "/c/group/commons")
	remove := act("Remove", Ref(base+"/n/1"))
	remove.Origin = Ref(base + "/c/group/commons")
	group := person("Group")
	group.Moderators = group.ID + "/moderators"
	group.AttributedTo = []string{group.Moderators}
	contrib := note()
	contrib.Type = "Contribution"
	contrib.Extra = map[string]any{"contributionKind": "code", "amount": "12.50", "currency": "EUR"}

	cases := map[string]*Object{
		"Person": person("Person"), "Group": group, "Organization": person("Organization"),
		"Application": person("Application"),
		"Note":        note(), "Question oneOf": q, "Question anyOf": qa,
		"Tombstone":      {ID: base + "/n/9", Type: "Tombstone", FormerType: "Note", Deleted: t1},
		"Follow IRI":     follow,
		"Accept embed":   act("Accept", follow),
		"Reject embed":   act("Reject", follow),
		"Undo embed":     act("Undo", follow),
		"Create":         act("Create", note()),
		"Create Q":       act("Create", q),
		"Update person":  act("Update", person("Person")),
		"Delete tomb":    act("Delete", &Object{ID: base + "/n/9", Type: "Tombstone"}),
		"Delete IRI":     act("Delete", Ref(base+"/n/9")),
		"Announce":       act("Announce", Ref("https://m.example/n/5")),
		"Like":           act("Like", Ref("https://m.example/n/5")),
		"Add":            add,
		"Remove":         remove,
		"Offer":          offer,
		"Block":          act("Block", Ref("https://m.example/u/bob")),
		"Flag":           act("Flag", Ref("https://m.example/u/bob")),
		"EmojiReact":     act("EmojiReact", Ref("https://m.example/n/5")),
		"Contribution":   contrib,
		"Collection IRI": {ID: base + "/u/alice/outbox", Type: "OrderedCollection", TotalItems: ip(42), First: base + "/u/alice/outbox?page=1"},
		"Page IRIs": {ID: base + "/u/alice/followers?page=1", Type: "OrderedCollectionPage", TotalItems: ip(3),
			PartOf: base + "/u/alice/followers", Next: base + "/u/alice/followers?page=2", Prev: base + "/u/alice/followers?page=0",
			Items: []*Object{Ref("https://m.example/u/bob"), Ref("https://m.example/u/carol")}},
		"Page embedded": {ID: base + "/u/alice/outbox?page=1", Type: "OrderedCollectionPage", PartOf: base + "/u/alice/outbox",
			Items: []*Object{act("Create", note()), Ref(base + "/a/x")}},
		"Empty page": {ID: base + "/c?page=9", Type: "CollectionPage", PartOf: base + "/c"},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), `"http://joinmastodon.org/ns"`) {
				t.Error("bare toot context URL emitted")
			}
			got, err := ParseStrict(b)
			if err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			if got.VocabErr != nil {
				t.Errorf("go-fed cannot read our own output: %v\n%s", got.VocabErr, b)
			}
			assertSame(t, o, got)
			for k, v := range o.Extra {
				if got.Raw[k] != v {
					t.Errorf("extra %s = %v", k, got.Raw[k])
				}
			}
		})
	}
}

// TestMastodonPersonShape checks the keys Mastodon reads on an actor.
func TestMastodonPersonShape(t *testing.T) {
	m, err := Serialize(person("Person"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"@context", "id", "type", "preferredUsername", "name", "summary", "inbox", "outbox",
		"followers", "following", "featured", "url", "manuallyApprovesFollowers", "discoverable", "published",
		"publicKey", "endpoints", "icon", "image", "tag", "attachment", "alsoKnownAs", "movedTo"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	pk, _ := m["publicKey"].(map[string]any)
	if pk["id"] == nil || pk["owner"] == nil || pk["publicKeyPem"] == nil {
		t.Errorf("publicKey = %v", m["publicKey"])
	}
	if ep, _ := m["endpoints"].(map[string]any); ep["sharedInbox"] != base+"/inbox" {
		t.Errorf("endpoints = %v", m["endpoints"])
	}
	if ic, _ := m["icon"].(map[string]any); ic["type"] != "Image" || ic["url"] != base+"/a.png" {
		t.Errorf("icon = %v", m["icon"])
	}
	att, _ := m["attachment"].([]any)
	if len(att) != 1 || att[0].(map[string]any)["type"] != "PropertyValue" {
		t.Errorf("attachment = %v", m["attachment"])
	}
	ctx, _ := m["@context"].([]any)
	if len(ctx) != 3 || ctx[0] != asContext || ctx[1] != "https://w3id.org/security/v1" {
		t.Fatalf("@context = %v", ctx)
	}
	terms := ctx[2].(map[string]any)
	for _, k := range []string{"manuallyApprovesFollowers", "sensitive", "Hashtag", "toot", "discoverable", "featured",
		"Emoji", "blurhash", "votersCount", "PropertyValue", "value", "alsoKnownAs", "movedTo", "commons", "Contribution"} {
		if terms[k] == nil {
			t.Errorf("context lacks %q", k)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{``, ErrInvalidJSON},
		{`{`, ErrInvalidJSON},
		{`[]`, ErrNotJSONObject},
		{`"x"`, ErrNotJSONObject},
		{`null`, ErrNotJSONObject},
		{`42`, ErrNotJSONObject},
		{`{"id":"https://a.example/1"}`, ErrMissingType},
		{`{"id":"https://a.example/1","type":""}`, ErrMissingType},
		{`{"id":"https://a.example/1","type":7}`, ErrInvalidType},
		{`{"id":"https://a.example/1","type":[1]}`, ErrInvalidType},
		{`{"type":"Note"}`, ErrMissingID},
		{`{"type":"Note","id":5}`, ErrInvalidID},
		{`{"type":"Note","id":"relative/path"}`, ErrInvalidID},
		{`{"type":"Like","id":"https://a.example/1","object":"https://a.example/2"}`, ErrMissingActor},
		{`{"@context":5,"type":"Note","id":"https://a.example/1"}`, ErrInvalidContext},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.in))
		if !errors.Is(err, c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, err, c.want)
		}
	}
	if _, err := ParseStrict([]byte(`{"type":"Note","id":"https://a.example/1"}`)); !errors.Is(err, ErrMissingContext) {
		t.Errorf("ParseStrict without @context: %v", err)
	}
	o, err := Parse([]byte(`{"type":["Note","Extra"],"id":"https://a.example/1","content":"x"}`))
	if err != nil || o.Type != "Note" {
		t.Errorf("array type: %v %+v", err, o)
	}
	if _, err := Serialize(nil); !errors.Is(err, ErrNilObject) {
		t.Error(err)
	}
	if _, err := Serialize(&Object{Type: "Note"}); !errors.Is(err, ErrMissingID) {
		t.Error(err)
	}
	if _, err := Serialize(&Object{ID: base + "/x"}); !errors.Is(err, ErrMissingType) {
		t.Error(err)
	}
	if _, err := Serialize(&Object{ID: base + "/x", Type: "Like"}); !errors.Is(err, ErrMissingActor) {
		t.Error(err)
	}
}
