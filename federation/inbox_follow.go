package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxFollow: a remote actor follows one of our actors. Social.Follow stores
// the follow and answers it (Accept at once, or pending for an actor that
// approves followers manually).
func (f *Federation) inboxFollow(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	target, err := f.localActor(ctx, act.Object.ID)
	if err != nil {
		return err
	}
	_, err = f.svc.Social.Follow(ctx, actor, target, act.ID)
	return err
}
