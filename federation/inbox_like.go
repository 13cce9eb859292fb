package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxLike: a favourite of a post we hold (Social.ReceiveLike); a like of
// anything else is ignored.
func (f *Federation) inboxLike(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	err := f.svc.Social.ReceiveLike(ctx, actor, act.ID, act.Object.ID)
	if errs.Status(err) == 404 {
		return ignored("like of an unknown object")
	}
	return err
}
