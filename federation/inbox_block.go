package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxBlock: a remote actor blocks one of ours (Social.ReceiveBlock).
func (f *Federation) inboxBlock(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	target, err := f.localActor(ctx, act.Object.ID)
	if err != nil {
		return err
	}
	return f.svc.Social.ReceiveBlock(ctx, actor, target, act.ID)
}
