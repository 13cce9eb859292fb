package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

// RemotePoll reads the poll part of a remote Question (Mastodon's poll, another
// community's proposal): oneOf or anyOf options with their
// replies.totalItems, votersCount, endTime and closed. ok is false for
// anything that is not a Question with options.
func RemotePoll(o *vocab.Object) (service.RemotePoll, bool) {
	if o == nil || o.Type != "Question" || o.ID == "" {
		return service.RemotePoll{}, false
	}
	options, multiple := o.OneOf, false
	if len(o.AnyOf) > 0 {
		options, multiple = o.AnyOf, true
	}
	if len(options) == 0 {
		return service.RemotePoll{}, false
	}
	p := service.RemotePoll{URI: o.ID, Multiple: multiple, Voters: int64(o.VotersCount)}
	for _, q := range options {
		p.Options = append(p.Options, service.PollOption{Name: q.Name, Count: int64(q.Replies)})
	}
	if !o.EndTime.IsZero() {
		t := o.EndTime
		p.EndTime = &t
	}
	if o.Closed != nil {
		t := *o.Closed
		if t.IsZero() {
			t = o.Updated
		}
		if t.IsZero() && p.EndTime != nil {
			t = *p.EndTime
		}
		p.Closed = &t
	}
	return p, true
}
