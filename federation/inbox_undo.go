package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// undoHandlers take back what the signer did before, by the inner type. The
// inbox already refused an Undo whose object is on another host or whose
// embedded activity names another actor; the services check the record
// undone belongs to the signer.
var undoHandlers = map[string]func(f *Federation, ctx context.Context, actor *models.Actor, typ string, inner *vocab.Object) error{
	"Follow":   (*Federation).undoFollow,
	"Like":     (*Federation).undoReaction,
	"Announce": (*Federation).undoReaction,
	"Block":    (*Federation).undoReaction,
	"Join":     (*Federation).undoJoin,
	"Lock":     (*Federation).undoLock,
	"Create":   (*Federation).undoVote,
	"Offer":    (*Federation).undoOffer,
}

// inboxUndo: the inner activity's type is given, or known from the activity
// we stored under its id (which must then be the signer's).
func (f *Federation) inboxUndo(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	inner := act.Object
	typ := inner.Type
	if typ == "" {
		if known, err := f.svc.Store.ActivityByURI(ctx, inner.ID); err == nil {
			if known.ActorURI != actor.URI {
				return errs.Forbidden("cannot undo another actor's %s", known.Type)
			}
			typ = known.Type
		}
	}
	h, ok := undoHandlers[typ]
	if !ok {
		return ignored("undo of %q", typ)
	}
	if inner.Actor != "" && inner.Actor != actor.URI {
		return errs.Forbidden("cannot undo another actor's %s", typ)
	}
	return h(f, ctx, actor, typ, inner)
}

func (f *Federation) undoFollow(ctx context.Context, actor *models.Actor, _ string, inner *vocab.Object) error {
	target := ""
	if inner.Object != nil {
		target = inner.Object.ID
	}
	return f.svc.Social.ReceiveUndoFollow(ctx, actor, inner.ID, target)
}

func (f *Federation) undoReaction(ctx context.Context, actor *models.Actor, typ string, inner *vocab.Object) error {
	return f.svc.Social.ReceiveUndo(ctx, actor, typ, inner.ID)
}

func (f *Federation) undoJoin(ctx context.Context, actor *models.Actor, _ string, inner *vocab.Object) error {
	group, err := f.groupOf(ctx, inner)
	if err != nil {
		return err
	}
	return f.svc.Communities.Leave(ctx, actor, group)
}

func (f *Federation) undoLock(ctx context.Context, actor *models.Actor, _ string, inner *vocab.Object) error {
	// The note is the Lock's object (by id: the Lock we stored names it).
	note := ""
	if inner.Object != nil {
		note = inner.Object.ID
	} else if known, err := f.svc.Store.ActivityByURI(ctx, inner.ID); err == nil && known.ActorURI == actor.URI {
		note = known.ObjectURI
	}
	if note == "" {
		return ignored("undo of an unknown lock")
	}
	return f.lockThread(ctx, actor, vocab.Ref(note), false)
}

// groupOf resolves the Group an Undo{Join} is about.
func (f *Federation) groupOf(ctx context.Context, join *vocab.Object) (*models.Actor, error) {
	if join.Object != nil {
		return f.localActor(ctx, join.Object.ID)
	}
	if m, err := f.svc.Store.MembershipByURI(ctx, join.ID); err == nil {
		return f.svc.Actors.ByID(ctx, m.CommunityID)
	}
	return nil, ignored("undo of an unknown join")
}

// undoVote: Undo{Create{vote}} takes back a poll vote before the proposal
// closes (the only Create that can be undone; a note is deleted instead).
func (f *Federation) undoVote(ctx context.Context, actor *models.Actor, _ string, inner *vocab.Object) error {
	vote := ""
	if inner.Object != nil {
		vote = inner.Object.ID
	} else if known, err := f.svc.Store.ActivityByURI(ctx, inner.ID); err == nil && known.ActorURI == actor.URI {
		vote = known.ObjectURI
	}
	if vote == "" {
		return ignored("undo of an unknown create")
	}
	return f.svc.Governance.ReceiveUnvote(ctx, actor, vote)
}

// undoOffer: a remote contributor withdraws an offer made to one of our
// communities (Communities.ReceiveWithdrawal checks it is theirs).
func (f *Federation) undoOffer(ctx context.Context, actor *models.Actor, _ string, inner *vocab.Object) error {
	return f.svc.Communities.ReceiveWithdrawal(ctx, actor, inner.ID)
}
