package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxCreate: a remote actor publishes a post (Social.ReceiveNote stores it,
// delivers it to local addressees and, for a post in one of our communities,
// relays it), or announces itself (an actor object: refetched from origin).
func (f *Federation) inboxCreate(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.receiveAuthored(ctx, actor, act, false)
}

// receiveAuthored is Create and Update of a post or of the actor itself.
func (f *Federation) receiveAuthored(ctx context.Context, actor *models.Actor, act *vocab.Object, update bool) error {
	obj := act.Object
	if obj.IsActor() || (update && obj.ID == actor.URI) {
		// The inbox refused an actor object other than the signer: refetch
		// the signer from its origin, never trusting the embedded copy.
		_, err := f.fetch.Actor(ctx, actor.URI, true)
		return err
	}
	if question, option, ok := convert.Vote(obj, f.svc.Governance.QuestionPrefix()); ok {
		if update {
			return ignored("a vote is never updated")
		}
		return f.receiveVote(ctx, actor, obj, question, option)
	}
	o, err := f.authoredObject(ctx, actor, obj)
	if err != nil {
		return err
	}
	if convert.IsAnnouncement(o) {
		return f.receiveAnnouncement(ctx, actor, act, o, update)
	}
	in := convert.CreatedNote(actor, act, o)
	if convert.IsAppeal(o) {
		return f.receiveAppeal(ctx, actor, act, o, update)
	}
	n, err := f.svc.Social.ReceiveNote(ctx, actor, in, update)
	if err != nil {
		return err
	}
	// A Question's poll (options and counts) is kept beside its note, so
	// that our users see the tallies and can vote.
	if poll, ok := convert.RemotePoll(o); ok && n != nil {
		return f.svc.Governance.ReceivePoll(ctx, actor, n, poll)
	}
	return nil
}

// receiveVote: a poll vote on one of our proposals (Mastodon's shape, see
// convert.Vote) counts as a ballot through Governance.ReceiveVote; it is never
// stored as a note nor relayed. Its id may not be fetchable, so only an
// embedded vote is read, and it must be the signer's own: attributed to the
// signer alone, with an id on the signer's host.
func (f *Federation) receiveVote(ctx context.Context, actor *models.Actor, obj *vocab.Object, question, option string) error {
	if len(obj.AttributedTo) != 1 || obj.AttributedTo[0] != actor.URI {
		return errs.Forbidden("a vote must be attributed to its sender")
	}
	if obj.ID == "" || hostOf(obj.ID) != hostOf(actor.URI) {
		return errs.BadRequest("vote id is not on the actor's host")
	}
	_, err := f.svc.Governance.ReceiveVote(ctx, actor, question, option, obj.ID)
	return err
}

// receiveAppeal: a remote foundation's or community's funding appeal (a Note
// with commonsType FundingAppeal, convert.InboundAppeal) is kept for the
// appeals directory and its progress refreshed by its author's Updates
// (Economy.ReceiveAppeal: the author alone, and only when someone here follows
// the author or a beneficiary is ours). The Note itself is stored as a note,
// never as a post to a community by any way in (notAPost: beneficiaries, a
// Group addressed on the Create only, a mention); the beneficiary communities
// that recognise its author relay it by their own decision
// (Economy.RelayRemoteAppeal).
func (f *Federation) receiveAppeal(ctx context.Context, actor *models.Actor, act, o *vocab.Object, update bool) error {
	in, err := convert.InboundAppeal(o)
	if err != nil {
		return errs.BadRequest("appeal: %s", err.Error())
	}
	a, err := f.svc.Economy.ReceiveAppeal(ctx, actor, in)
	if err != nil {
		return err
	}
	rn := f.notAPost(ctx, convert.AppealNote(actor, act, o))
	n, err := f.svc.Social.ReceiveNote(ctx, actor, rn, update)
	if err != nil {
		return err
	}
	return f.svc.Economy.RelayRemoteAppeal(ctx, actor, a, n, rn.Activity, update)
}
