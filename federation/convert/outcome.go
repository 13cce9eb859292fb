package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, o service.OutcomeObject) (*vocab.Object, error) { return Outcome(o), nil })
	register(func(_ *Converter, v service.PollVoteObject) (*vocab.Object, error) { return PollVote(v), nil })
}

// Outcome is the outcome note of a proposal: the note in words, plus the
// result in the project's namespace ("commons:" terms, defined in the /ns
// document): decides (the Question), result, method, counts, voters,
// eligible, quorumMet, advisory, effect, winner, ballots.
func Outcome(o service.OutcomeObject) *vocab.Object {
	n := Note(o.Note, o.Author, nil)
	n.Extra = map[string]any{}
	for k, v := range o.Fields {
		n.Extra["commons:"+k] = v
	}
	return n
}

// PollVote is a vote on a remote poll as Mastodon sends it:
// Create{Note{name: option, inReplyTo: Question, attributedTo: voter, to: the
// poll's author}}, no content.
func PollVote(v service.PollVoteObject) *vocab.Object {
	return &vocab.Object{ID: v.URI, Type: "Note", Name: v.Option, InReplyTo: v.Question,
		AttributedTo: []string{v.Voter.URI}, To: []string{v.Author}}
}
