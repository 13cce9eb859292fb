package convert

import "testing"

// TestOutboxItems: stored activities become outbox items through the strict
// one-read path; a row the strict reader refuses (duplicate or case-folded
// names, trailing data: what go-fed's lax Parse let through, last key
// winning) is left out, and ids are kept byte for byte.
func TestOutboxItems(t *testing.T) {
	create := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/activities/1","type":"Create",` +
		`"actor":"https://a.example/users/ada","to":["https://www.w3.org/ns/activitystreams#Public"],` +
		`"object":{"id":"https://a.example/notes/1#x&#038;y","type":"Note","content":"<p>hi</p>","attributedTo":"https://a.example/users/ada"}}`
	cases := []struct {
		name string
		raw  string
		keep bool
	}{
		{"create with an embedded note", create, true},
		{"announce by id", `{"id":"https://a.example/activities/2","type":"Announce","actor":"https://a.example/users/ada","object":"https://b.example/notes/9"}`, true},
		{"duplicate id", `{"id":"https://a.example/activities/3","id":"https://evil.example/x","type":"Create","actor":"https://a.example/users/ada"}`, false},
		{"case-folded actor", `{"id":"https://a.example/activities/4","type":"Create","actor":"https://a.example/users/ada","Actor":"https://evil.example/u"}`, false},
		{"trailing data", `{"id":"https://a.example/activities/5","type":"Create"} {"id":"x"}`, false},
		{"not an object", `["https://a.example/activities/6"]`, false},
		{"empty", ``, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := OutboxItems([]string{tc.raw})
			if (len(got) == 1) != tc.keep {
				t.Fatalf("kept %d items, want keep=%v", len(got), tc.keep)
			}
		})
	}
	items := OutboxItems([]string{create, `{"id":"dup","id":"dup2","type":"Create"}`})
	if len(items) != 1 || items[0].ID != "https://a.example/activities/1" || items[0].Object == nil ||
		items[0].Object.ID != "https://a.example/notes/1#x&#038;y" || items[0].Object.Content != "<p>hi</p>" {
		t.Fatalf("items: %+v", items)
	}
}
