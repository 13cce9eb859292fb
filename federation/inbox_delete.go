package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxDelete: a remote actor deletes its post, or itself
// (Social.ReceiveDelete: only the author deletes a note). The inbox refused a
// Delete of an object on another host; a community's moderation arrives as
// the Group's Announce{Delete} (inbox_announce.go).
func (f *Federation) inboxDelete(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.svc.Social.ReceiveDelete(ctx, actor, act.Object.ID)
}
