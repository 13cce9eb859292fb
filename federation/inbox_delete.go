package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxDelete: a remote actor deletes its post, or itself
// (Social.ReceiveDelete: only the author deletes a note), or a contribution it
// offered to one of our communities, which withdraws the offer if it is still
// undecided (Communities.Withdraw; an accepted one stays in the commons). The
// inbox refused a Delete of an object on another host; a community's
// moderation arrives as the Group's Announce{Delete} (inbox_announce.go).
func (f *Federation) inboxDelete(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if co := f.svc.Communities.ContributionByURI(ctx, act.Object.ID); co != nil {
		_, err := f.svc.Communities.Withdraw(ctx, actor, co.ID, true)
		return err
	}
	return f.svc.Social.ReceiveDelete(ctx, actor, act.Object.ID, convert.RawJSON(act))
}
