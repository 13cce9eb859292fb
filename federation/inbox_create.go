package federation

import (
	"context"

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
	o, err := f.authoredObject(ctx, actor, obj)
	if err != nil {
		return err
	}
	_, err = f.svc.Social.ReceiveNote(ctx, actor, convert.CreatedNote(actor, act, o), update)
	return err
}
