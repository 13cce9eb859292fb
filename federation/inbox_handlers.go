package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// An inboxHandler turns one verified inbound activity into the service call
// that owns its rule. actor is the verified signer (fetched), act the one
// reading of the body the inbox checked. A handler checks what only the
// activity can tell (is the target ours, which inner activity is meant) and
// calls the service; it decides no domain rule and writes nothing itself.
//
// One file per activity type, named after it: inbox_follow.go,
// inbox_accept.go (Accept and Reject of a Follow, Join or Offer),
// inbox_undo.go (Undo of a Follow, Like, Announce, Block, Join or Lock),
// inbox_create.go, inbox_update.go, inbox_delete.go, inbox_announce.go
// (boosts and a Group's relays), inbox_like.go, inbox_block.go,
// inbox_join.go, inbox_leave.go, inbox_offer.go, inbox_add.go (Add and
// Remove), inbox_lock.go, inbox_flag.go. Each has its tests beside it.
type inboxHandler func(f *Federation, ctx context.Context, actor *models.Actor, act *vocab.Object) error

// inboxHandlers is the table of activity types we act on; adding a type is
// one file and one line here.
var inboxHandlers = map[string]inboxHandler{
	"Follow":   (*Federation).inboxFollow,
	"Accept":   (*Federation).inboxAccept,
	"Reject":   (*Federation).inboxReject,
	"Undo":     (*Federation).inboxUndo,
	"Create":   (*Federation).inboxCreate,
	"Update":   (*Federation).inboxUpdate,
	"Delete":   (*Federation).inboxDelete,
	"Announce": (*Federation).inboxAnnounce,
	"Like":     (*Federation).inboxLike,
	"Block":    (*Federation).inboxBlock,
	"Join":     (*Federation).inboxJoin,
	"Leave":    (*Federation).inboxLeave,
	"Offer":    (*Federation).inboxOffer,
	"Add":      (*Federation).inboxAddRemove,
	"Remove":   (*Federation).inboxAddRemove,
	"Lock":     (*Federation).inboxLock,
	"Flag":     (*Federation).inboxFlag,
}

// dispatch runs act's handler. Every type but Flag needs an object (the
// strict reading already refused an id-less or multi-valued one).
func (f *Federation) dispatch(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	h, ok := inboxHandlers[act.Type]
	if !ok {
		return ignored("activity type %s", act.Type)
	}
	if act.Object == nil && act.Type != "Flag" {
		return ignored("%s without object", act.Type)
	}
	return h(f, ctx, actor, act)
}
