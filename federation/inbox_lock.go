package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxLock: a remote community closes replies to one of its posts
// (Communities.SetThreadLocked: only the post's community may). Undo{Lock}
// reopens them (inbox_undo.go); a Group's Announce{Lock} is the same.
func (f *Federation) inboxLock(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.lockThread(ctx, actor, act.Object, true)
}

func (f *Federation) lockThread(ctx context.Context, actor *models.Actor, obj *vocab.Object, locked bool) error {
	err := f.svc.Communities.SetThreadLocked(ctx, actor, obj.ID, locked)
	if errs.Status(err) == 404 {
		return ignored("lock of an unknown note")
	}
	return err
}
