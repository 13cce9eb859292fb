package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxFlag: a report from another server for our moderators
// (Social.ReceiveFlag). A Flag may name several objects (the reported actor
// and its posts); the strict reading refused nulls and id-less ones.
func (f *Federation) inboxFlag(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.svc.Social.ReceiveFlag(ctx, actor, act.ID, convert.FlaggedObjects(act), convert.AnswerReason(act))
}
