package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxUpdate: a remote actor edits its post (Social.ReceiveNote with update)
// or its profile (refetched from origin), or revises a contribution it offered
// to one of our communities (Communities.Revise). The inbox refused an Update
// of another actor or of an object attributed to someone else.
func (f *Federation) inboxUpdate(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if obj := act.Object; !obj.IsActor() {
		if co := f.svc.Communities.ContributionByURI(ctx, obj.ID); co != nil {
			return f.receiveRevision(ctx, actor, act, co)
		}
	}
	return f.receiveAuthored(ctx, actor, act, true)
}

// receiveRevision: Update{contribution} by its contributor's server. The
// object lives on the signer's host (checked by the inbox when embedded; one
// given by id is fetched from there); the service checks that the signer is
// the contributor, that the community is ours and that the offer is still
// revisable.
func (f *Federation) receiveRevision(ctx context.Context, actor *models.Actor, act *vocab.Object, co *models.Contribution) error {
	o := act.Object
	if hostOf(o.ID) != hostOf(actor.URI) {
		return errs.BadRequest("the contribution does not live on the sender's host")
	}
	if o.IsIRIOnly() || o.Type == "" {
		fetched, err := f.fetch.Object(ctx, o.ID)
		if err != nil {
			return err
		}
		o = fetched
	}
	if err := vocab.CheckLimits(o); err != nil {
		return err
	}
	if o.ID != co.URI {
		return errs.BadRequest("the fetched object is not the contribution")
	}
	if len(o.AttributedTo) > 0 && o.AttributedTo[0] != actor.URI {
		return errs.Forbidden("the contribution is attributed to someone else")
	}
	in, remote := convert.RevisedContribution(act, o)
	_, err := f.svc.Communities.Revise(ctx, actor, co.ID, in, remote)
	return err
}
