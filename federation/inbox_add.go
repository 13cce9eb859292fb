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
// itself (or anything) to a collection of ours — except that a partner
// organization may Remove itself from one of our communities' partners
// collections (it ends the partnership, Economy.ReceivePartnerLeave).
// Of remote collections only a Group's partners collection is recorded
// (Economy.ReceivePartnersChange: the Group itself must sign, the target
// must be {group}/partners); others are not mirrored.
func (f *Federation) inboxAddRemove(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if act.Target == nil {
		return ignored("%s without target", act.Type)
	}
	target := act.Target.ID
	if strings.HasPrefix(target, f.cfg.Server.PublicURL+"/") {
		if act.Type == "Remove" && strings.HasSuffix(target, "/partners") && act.Object.ID == actor.URI {
			return f.svc.Economy.ReceivePartnerLeave(ctx, actor, target)
		}
		return errs.Forbidden("only this instance's communities change their own collections")
	}
	if strings.HasSuffix(target, "/partners") {
		return f.svc.Economy.ReceivePartnersChange(ctx, actor, act.Type == "Add", target, act.Object.ID)
	}
	return ignored("%s to a remote collection", act.Type)
}
