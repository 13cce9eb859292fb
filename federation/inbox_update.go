package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxUpdate: a remote actor edits its post (Social.ReceiveNote with update)
// or its profile (refetched from origin). The inbox refused an Update of
// another actor or of an object attributed to someone else.
func (f *Federation) inboxUpdate(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.receiveAuthored(ctx, actor, act, true)
}
