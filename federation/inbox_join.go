package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxJoin: a remote actor asks to join one of our communities
// (Communities.Join applies its admission rule and answers).
func (f *Federation) inboxJoin(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	group, err := f.localActor(ctx, act.Object.ID)
	if err != nil {
		return err
	}
	_, err = f.svc.Communities.Join(ctx, actor, group, act.ID)
	return err
}
