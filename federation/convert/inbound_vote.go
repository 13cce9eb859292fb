package convert

import (
	"html"
	"regexp"
	"strings"

	"github.com/commonsd/commonsd/federation/vocab"
)

// Vote reads a poll vote as Mastodon sends it: a Note whose name is the
// chosen option, in reply to the Question, with no content beyond the name
// (Mastodon sends none). questionPrefix is where this instance's Questions
// live (…/proposals/): only a vote on one of ours is a vote here; anything
// else stays a note. ok is false when obj is not such a vote.
func Vote(obj *vocab.Object, questionPrefix string) (question, option string, ok bool) {
	if obj == nil || obj.Type != "Note" || obj.Name == "" || !strings.HasPrefix(obj.InReplyTo, questionPrefix) {
		return "", "", false
	}
	if text := strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(obj.Content, ""))); text != "" && text != obj.Name {
		return "", "", false
	}
	return obj.InReplyTo, obj.Name, true
}

var tags = regexp.MustCompile(`<[^>]*>`)
