package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxLeave: a remote member leaves one of our communities
// (Communities.Leave).
func (f *Federation) inboxLeave(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	group, err := f.localActor(ctx, act.Object.ID)
	if err != nil {
		return err
	}
	return f.svc.Communities.Leave(ctx, actor, group)
}
