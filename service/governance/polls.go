package governance

import (
	"context"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Remote polls (issue 11, "the other direction"): a Question from another
// server — a Mastodon poll, another community's proposal — arrives as a note
// (social keeps its text); its options and counts are kept here beside it,
// refreshed by every Update{Question}. Our users see them in their timeline
// with the tallies and vote on them, and the vote goes out exactly as
// Mastodon sends its own: Create{Note{name: the option, inReplyTo: the
// Question, attributedTo: the voter, to: the poll's author}}, one per option.
// Decisions: a user votes once per poll (Mastodon's rule; several options at
// once on a multiple-choice poll); the counts shown grow by our vote at once
// (as Mastodon does) until the author's next Update says otherwise.

// PollOption is one option of a remote poll with its count as last seen.
type PollOption struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// RemotePoll is a remote Question's poll part, read by the federation edge.
type RemotePoll struct {
	URI      string
	Multiple bool
	Options  []PollOption
	Voters   int64
	EndTime  *time.Time
	Closed   *time.Time
}

// Limits on a remote poll's options (Mastodon's are 4 and 50; other servers
// allow more, so a little room).
const (
	maxRemoteOptions   = 20
	maxRemoteOptionLen = 200
)

// ReceivePoll stores the poll of a remote Question the author published as
// note n (just received by social), or refreshes its counts.
func (g *Governance) ReceivePoll(ctx context.Context, author *models.Actor, n *models.Note, in RemotePoll) error {
	if n == nil || author == nil || n.AuthorID != author.ID || n.URI != in.URI {
		return errs.Forbidden("the poll is not its author's")
	}
	var opts []PollOption
	for _, o := range in.Options {
		if o.Name == "" || utf8.RuneCountInString(o.Name) > maxRemoteOptionLen || len(opts) == maxRemoteOptions {
			continue
		}
		if o.Count < 0 {
			o.Count = 0
		}
		opts = append(opts, o)
	}
	if len(opts) == 0 {
		return errs.Unprocessable("a poll without options")
	}
	if in.Voters < 0 {
		in.Voters = 0
	}
	p := &models.Poll{NoteID: n.ID, URI: n.URI, Multiple: in.Multiple, Options: string(mustJSON(opts)),
		VotersCount: in.Voters, EndTime: in.EndTime, ClosedAt: in.Closed, UpdatedAt: g.d.Now()}
	if err := g.d.Store.PutPoll(ctx, p); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// PollView is a remote poll as a viewer sees it.
type PollView struct {
	NoteID   string
	Multiple bool
	Options  []PollOption
	Voters   int64
	EndTime  *time.Time
	Closed   bool
	Mine     []string // the viewer's choices (empty: not voted)
}

// Voted reports whether the viewer chose option.
func (v *PollView) Voted(option string) bool {
	for _, m := range v.Mine {
		if m == option {
			return true
		}
	}
	return false
}

// Polls returns the polls among the notes, by note id, as viewer (nil:
// anonymous) sees them: two queries for a page of notes.
func (g *Governance) Polls(ctx context.Context, viewer *models.Actor, noteIDs []string) (map[string]*PollView, error) {
	rows, err := g.d.Store.PollsOf(ctx, noteIDs)
	if err != nil {
		return nil, errs.Internal(err)
	}
	mine := map[string][]models.PollVote{}
	if viewer != nil && len(rows) > 0 {
		ids := make([]string, 0, len(rows))
		for id := range rows {
			ids = append(ids, id)
		}
		if mine, err = g.d.Store.PollVotesOfMany(ctx, ids, viewer.ID); err != nil {
			return nil, errs.Internal(err)
		}
	}
	now := g.d.Now()
	out := make(map[string]*PollView, len(rows))
	for id, p := range rows {
		v := &PollView{NoteID: id, Multiple: p.Multiple, Voters: p.VotersCount, EndTime: p.EndTime,
			Closed: p.ClosedAt != nil || (p.EndTime != nil && !now.Before(*p.EndTime))}
		_ = json.Unmarshal([]byte(p.Options), &v.Options)
		for _, pv := range mine[id] {
			v.Mine = append(v.Mine, pv.Option)
		}
		out[id] = v
	}
	return out, nil
}

// VotePoll sends a local user's vote on the remote poll of note noteID: one
// Create{Note} per chosen option to the poll's author. 404 when the note has
// no poll, 409 when it is closed or the user voted already, 422 for an
// option it does not have or several on a single-choice poll.
func (g *Governance) VotePoll(ctx context.Context, voter *models.Actor, noteID string, options []string) (*PollView, error) {
	if voter == nil || !voter.Local() {
		return nil, errs.Forbidden("sign in to vote")
	}
	poll, err := g.d.Store.PollByNoteID(ctx, noteID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("no poll")
	} else if err != nil {
		return nil, errs.Internal(err)
	}
	n, err := g.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.DeletedAt != nil {
		return nil, errs.NotFound("no poll")
	}
	author, err := g.d.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	now := g.d.Now()
	if poll.ClosedAt != nil || (poll.EndTime != nil && !now.Before(*poll.EndTime)) {
		return nil, errs.Conflict("this poll is closed")
	}
	var opts []PollOption
	_ = json.Unmarshal([]byte(poll.Options), &opts)
	chosen := map[string]bool{}
	for _, o := range options {
		found := false
		for _, po := range opts {
			found = found || po.Name == o
		}
		if !found {
			return nil, errs.Unprocessable("no option %q on this poll", o)
		}
		chosen[o] = true
	}
	if len(chosen) == 0 {
		return nil, errs.Unprocessable("choose an option")
	}
	if len(chosen) > 1 && !poll.Multiple {
		return nil, errs.Unprocessable("this poll takes one option")
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if prior, err := tx.PollVotesOf(ctx, noteID, voter.ID); err != nil {
			return err
		} else if len(prior) > 0 {
			return errs.Conflict("you have voted on this poll")
		}
		for i := range opts {
			if !chosen[opts[i].Name] {
				continue
			}
			id := models.NewID()
			v := &models.PollVote{ID: id, NoteID: noteID, ActorID: voter.ID, Option: opts[i].Name, URI: g.d.URLs.Activity(id), CreatedAt: now}
			if ok, err := tx.AddPollVote(ctx, v); err != nil {
				return err
			} else if !ok {
				return errs.Conflict("you have voted on this poll")
			}
			opts[i].Count++
			if author.Local() {
				continue
			}
			if err := g.d.Pub.Publish(ctx, tx, &core.Outbound{ID: g.d.URLs.Activity(models.NewID()), Type: core.TypeCreate, Actor: voter,
				Object: core.PollVoteObject{URI: v.URI, Voter: voter, Question: n.URI, Author: author.URI, Option: v.Option},
				To:     []string{author.URI}, Recipients: []*models.Actor{author}, Published: now}); err != nil {
				return err
			}
		}
		poll.Options, poll.VotersCount, poll.UpdatedAt = string(mustJSON(opts)), poll.VotersCount+1, now
		return tx.PutPoll(ctx, poll)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	views, err := g.Polls(ctx, voter, []string{noteID})
	if err != nil {
		return nil, err
	}
	return views[noteID], nil
}
