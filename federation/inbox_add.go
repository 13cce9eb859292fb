package federation

import (
	"context"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxAddRemove: Add and Remove. Roles and the commons of a local community
// change only through its stewards and maintainers; a remote actor cannot Add
// itself (or anything) to a collection of ours. Remote collections are not
// mirrored.
func (f *Federation) inboxAddRemove(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if act.Target != nil && strings.HasPrefix(act.Target.ID, f.cfg.Server.PublicURL+"/") {
		return errs.Forbidden("only this instance's communities change their own collections")
	}
	return ignored("%s to a remote collection", act.Type)
}
