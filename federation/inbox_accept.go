package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxAccept and inboxReject: a remote actor answers what one of ours sent
// it: a Follow (Social.ReceiveFollowAnswer: only the followed actor may
// answer), a Join (Communities.ReceiveJoinAnswer) or an Offer
// (Communities.ReceiveOfferAnswer: only the community offered to). The inner
// activity is known by its type (a pledge's or a partnership request's Offer
// by our record of its id: Economy.ReceivePledgeAnswer, ReceivePartnershipAnswer), or, when only its id is given, by which of
// our records carries that id.
func (f *Federation) inboxAccept(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.answer(ctx, actor, act, true)
}

func (f *Federation) inboxReject(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	return f.answer(ctx, actor, act, false)
}

func (f *Federation) answer(ctx context.Context, actor *models.Actor, act *vocab.Object, accept bool) error {
	obj := act.Object
	if f.known(f.svc.Store.PledgeByURI(ctx, obj.ID)) {
		return f.svc.Economy.ReceivePledgeAnswer(ctx, actor, obj.ID, accept, convert.AnswerReason(act))
	}
	if f.known(f.svc.Store.PartnershipByOfferURI(ctx, obj.ID)) {
		return f.svc.Economy.ReceivePartnershipAnswer(ctx, actor, obj.ID, accept)
	}
	switch f.answeredType(ctx, obj) {
	case "Follow":
		return f.svc.Social.ReceiveFollowAnswer(ctx, actor, obj.ID, obj.Actor, accept)
	case "Join":
		return f.svc.Communities.ReceiveJoinAnswer(ctx, actor, obj.ID, accept)
	case "Offer":
		return f.svc.Communities.ReceiveOfferAnswer(ctx, actor, obj.ID, accept, convert.AnswerReason(act))
	}
	return ignored("%s of a %q", act.Type, obj.Type)
}

// answeredType is the type of the activity an Accept or Reject answers.
func (f *Federation) answeredType(ctx context.Context, obj *vocab.Object) string {
	if obj.Type != "" {
		return obj.Type
	}
	switch {
	case f.known(f.svc.Store.FollowByURI(ctx, obj.ID)):
		return "Follow"
	case f.known(f.svc.Store.MembershipByURI(ctx, obj.ID)):
		return "Join"
	case f.known(f.svc.Store.ContributionByOfferURI(ctx, obj.ID)):
		return "Offer"
	}
	return ""
}
