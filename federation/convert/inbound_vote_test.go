package convert

import (
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
)

// TestVote: what is read as a vote on one of our proposals, and what stays a
// note. The shape is Mastodon's ActivityPub::VoteSerializer (id, type Note,
// name, attributedTo, inReplyTo, to).
func TestVote(t *testing.T) {
	const prefix = "https://commons.example/proposals/"
	q := prefix + "01jq"
	cases := []struct {
		name   string
		obj    *vocab.Object
		ok     bool
		option string
	}{
		{"mastodon vote", &vocab.Object{ID: "https://m.example/users/ana#votes/1", Type: "Note", Name: "Yes",
			AttributedTo: []string{"https://m.example/users/ana"}, InReplyTo: q, To: []string{"https://commons.example/users/coop"}}, true, "Yes"},
		{"content repeating the name", &vocab.Object{Type: "Note", Name: "No", Content: "<p>No</p>", InReplyTo: q}, true, "No"},
		{"a reply with text is a note", &vocab.Object{Type: "Note", Name: "Yes", Content: "<p>Yes, because…</p>", InReplyTo: q}, false, ""},
		{"no name is a note", &vocab.Object{Type: "Note", Content: "<p>hi</p>", InReplyTo: q}, false, ""},
		{"another server's question", &vocab.Object{Type: "Note", Name: "Yes", InReplyTo: "https://other.example/proposals/1"}, false, ""},
		{"not a Note", &vocab.Object{Type: "Article", Name: "Yes", InReplyTo: q}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			question, option, ok := Vote(tc.obj, prefix)
			if ok != tc.ok || option != tc.option || (ok && question != q) {
				t.Fatalf("Vote = %q, %q, %v; want %q, %v", question, option, ok, tc.option, tc.ok)
			}
		})
	}
}
