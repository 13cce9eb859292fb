package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// inboxOffer: a remote contribution offered to one of our communities.
func (f *Federation) inboxOffer(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if in, ok := convert.InboundPartnership(act); ok {
		return f.receivePartnership(ctx, actor, in)
	}
	if in, ok := convert.InboundPledge(act); ok {
		return f.receivePledge(ctx, actor, in)
	}
	return f.receiveOffer(ctx, actor, act)
}

// receivePledge: a remote actor pledges to one of our appeals with
// Offer{Agreement} (FEP-0837); Economy.ReceivePledge answers Accept or Reject.
// The Offer's id must be on the pledger's host.
func (f *Federation) receivePledge(ctx context.Context, actor *models.Actor, in service.RemotePledge) error {
	if hostOf(in.OfferURI) != hostOf(actor.URI) {
		return errs.BadRequest("the Offer's id is not on the pledger's host")
	}
	_, err := f.svc.Economy.ReceivePledge(ctx, actor, in)
	return err
}

// receivePartnership: a remote organization asks one of our communities to
// recognise it (Offer{Agreement} with commonsType Partnership);
// Economy.ReceivePartnershipOffer records the request for the community to
// decide. The Offer's id must be on the organization's host.
func (f *Federation) receivePartnership(ctx context.Context, actor *models.Actor, in service.RemotePartnership) error {
	if hostOf(in.OfferURI) != hostOf(actor.URI) {
		return errs.BadRequest("the Offer's id is not on the organization's host")
	}
	_, err := f.svc.Economy.ReceivePartnershipOffer(ctx, actor, in)
	return err
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
