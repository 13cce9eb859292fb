package convert

import (
	"html"
	"strings"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, q service.QuestionObject) (*vocab.Object, error) { return Question(q), nil })
}

// Question is a governance proposal as Mastodon shows a poll: a Question by
// the Group (attributedTo, audience), oneOf options as Notes with name and
// replies.totalItems (the binding counts), endTime, votersCount, and, once
// decided, closed (the time) and updated. The content is the title, the
// motion, one line each for the method, quorum, who counts and closing time,
// and a link to the proposal. No summary: Mastodon shows it as a content
// warning.
func Question(q service.QuestionObject) *vocab.Object {
	p := q.Proposal
	var b strings.Builder
	b.WriteString("<p><strong>" + html.EscapeString(p.Title) + "</strong></p>")
	b.WriteString(p.MotionHTML)
	if len(q.Lines) > 0 {
		esc := make([]string, len(q.Lines))
		for i, l := range q.Lines {
			esc[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(esc, "<br>") + "</p>")
	}
	b.WriteString(`<p><a href="` + html.EscapeString(p.URI) + `">` + html.EscapeString(p.URI) + "</a></p>")
	o := &vocab.Object{
		ID: p.URI, Type: "Question", Name: p.Title, Content: b.String(), URL: p.URI,
		AttributedTo: []string{q.Group.URI}, Audience: []string{q.Group.URI},
		To: []string{vocab.PublicAddress}, CC: []string{q.Group.FollowersURI},
		Published: p.OpensAt, EndTime: p.ClosesAt, VotersCount: int(q.Voters),
		Extra: map[string]any{"commons:proposalKind": p.Kind, "commons:proposalState": p.State},
	}
	if p.ClosedAt != nil {
		c := *p.ClosedAt
		o.Closed = &c
		o.Updated = c
	}
	for _, name := range q.Options {
		o.OneOf = append(o.OneOf, vocab.QuestionOption{Name: name, Replies: int(q.Counts[name])})
	}
	return o
}
