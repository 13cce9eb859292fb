package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxOffer: a remote contribution offered to one of our communities.
func (f *Federation) inboxOffer(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.receiveOffer(ctx, actor, act)
}

// receiveOffer turns a remote Offer{object: contribution, target: Group} into the
// same service call a local offer makes (the mapping: convert.OfferedContribution). The inbox already checked that the
// embedded object lives on the sender's host; one given by id is fetched.
func (f *Federation) receiveOffer(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if act.Target == nil {
		return errs.BadRequest("an Offer needs a target community")
	}
	group, err := f.localActor(ctx, act.Target.ID)
	if err != nil {
		return err
	}
	o := act.Object
	if o.IsIRIOnly() || o.Type == "" {
		if o, err = f.fetch.Object(ctx, o.ID); err != nil {
			return err
		}
	}
	if err := vocab.CheckLimits(o); err != nil {
		return err
	}
	if hostOf(o.ID) != hostOf(actor.URI) {
		return errs.BadRequest("the offered object does not live on the contributor's host")
	}
	if len(o.AttributedTo) > 0 && o.AttributedTo[0] != actor.URI {
		return errs.Forbidden("the offered object is attributed to someone else")
	}
	in, remote := convert.OfferedContribution(act, o)
	_, err = f.svc.Communities.Offer(ctx, actor, group, in, remote)
	return err
}
