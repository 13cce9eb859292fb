package economy

import (
	"context"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Partnerships across instances (issue 12). The shape, as pledges have it:
//
//   - An organization asks a community with Offer{Agreement} (FEP-0837
//     terms) addressed and targeted to the Group: the Agreement
//     (commonsType Partnership) has the pledge in words as its content,
//     commons:reciprocityTerms the terms in words, and stipulates one
//     Commitment per measurable term (provider the organization, receiver
//     the Group; a monthly amount, hours per month, a revenue share in
//     percent). The community decides as it does for a local request (a
//     steward, or a recognise_partner proposal) and answers Accept or
//     Reject{the Offer}; recognition also Follows the organization and Adds
//     it to {group}/partners.
//   - A remote Group's Add or Remove of an organization on its own partners
//     collection (target {group}/partners, signed by the Group) is recorded:
//     the remote community's partners and the organization's partnerships
//     are shown here. Nobody else changes that collection.
//   - Either side ends it with Remove: the Group's Remove (above), or the
//     organization's own Remove{itself, target the Group's partners}.

// RemotePartnership is a partnership Offer as convert.InboundPartnership
// reads it.
type RemotePartnership struct {
	OfferURI   string
	Community  string // the target Group's URI
	Provider   string // the Commitments' provider, if given
	Pledge     string // the Agreement's content (HTML or text)
	Terms      string // the terms in words
	Structured TermsInput
}

func (e *Economy) partnershipOffer(p *models.Partnership, org, group *models.Actor) core.PartnershipOfferObject {
	return core.PartnershipOfferObject{Partnership: p, Organization: org, Community: group}
}

// requestRemote sends a local organization's request to a remote community
// as Offer{Agreement}; it stays requested until the Group answers.
func (e *Economy) requestRemote(ctx context.Context, p *models.Partnership, org, group *models.Actor) error {
	uri := e.d.URLs.Activity(p.ID)
	p.OfferURI = &uri
	err := e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreatePartnership(ctx, p); err != nil {
			return err
		}
		return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: uri, Type: core.TypeOffer, Actor: org,
			Object: core.PartnershipAgreementObject{PartnershipOfferObject: e.partnershipOffer(p, org, group)},
			Target: group.URI, To: []string{group.URI}, Recipients: []*models.Actor{group}})
	})
	return err
}

// ReceivePartnershipOffer records a remote organization's request to be
// recognised by one of our communities; the stewards (or a proposal) decide
// later. A duplicate Offer id, an Offer whose Commitments' provider is not its
// actor, or a target that is not one of our communities changes nothing and
// gets no answer; a request refused for what it says (no pledge, bad terms, a
// partnership already open) is answered with Reject and the reason.
func (e *Economy) ReceivePartnershipOffer(ctx context.Context, org *models.Actor, in RemotePartnership) (*models.Partnership, error) {
	if org == nil || org.Local() {
		return nil, errs.BadRequest("not a remote organization")
	}
	if in.Provider != "" && in.Provider != org.URI {
		return nil, errs.Forbidden("the Commitment's provider is not the Offer's actor")
	}
	group, err := e.d.Store.ActorByURI(ctx, in.Community)
	if err != nil || !group.Local() || group.Type != models.ActorGroup {
		return nil, errs.NotFound("no community of ours at %s", in.Community)
	}
	if _, err := e.d.Store.PartnershipByOfferURI(ctx, in.OfferURI); err == nil {
		return nil, errs.Conflict("this Offer was received already")
	}
	offer := in.OfferURI
	p := &models.Partnership{ID: models.NewID(), CommunityID: group.ID, OrganizationID: org.ID, State: models.PartnershipRequested,
		Pledge: strings.TrimSpace(content.Text(in.Pledge)), Terms: strings.TrimSpace(content.Text(in.Terms)),
		RequestedByID: org.ID, CreatedAt: e.d.Now(), OfferURI: &offer}
	err = e.checkRequest(org, p, in.Structured)
	if err == nil {
		err = e.d.Store.CreatePartnership(ctx, p)
		if errors.Is(err, store.ErrExists) {
			err = errs.Conflict("@%s already asked @%s, or is its partner", org.Username, group.Username)
		}
	}
	if err != nil && (errs.Status(err) == 422 || errs.Status(err) == 409) {
		// refused for what it says: tell the organization why (nothing is stored)
		_ = e.d.Store.Tx(ctx, func(tx *store.Store) error {
			return e.answerPartnership(ctx, tx, core.TypeReject, p, org, group, errs.Message(err))
		})
	}
	if err != nil {
		if errs.Status(err) == 0 {
			return nil, errs.Internal(err)
		}
		return nil, err
	}
	return p, nil
}

// checkRequest holds a request (local or remote) to the same rules.
func (e *Economy) checkRequest(org *models.Actor, p *models.Partnership, structured TermsInput) error {
	if org.Type != models.ActorOrganization {
		return errs.Unprocessable("only an organization can ask to be a partner")
	}
	if p.Pledge == "" || p.Terms == "" {
		return errs.Unprocessable("a reciprocity pledge needs words and measurable terms")
	}
	if len([]rune(p.Pledge)) > 5000 || len([]rune(p.Terms)) > 1000 {
		return errs.Unprocessable("the pledge is at most 5000 characters and its terms at most 1000")
	}
	t, err := ParseTerms(structured)
	if err != nil {
		return err
	}
	t.apply(p)
	return nil
}

// answerPartnership publishes the Group's Accept or Reject of a remote
// organization's Offer (nothing for a request made here).
func (e *Economy) answerPartnership(ctx context.Context, tx *store.Store, verb string, p *models.Partnership, org, group *models.Actor, reason string) error {
	if p.OfferURI == nil || org.Local() || !group.Local() {
		return nil
	}
	return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: verb, Actor: group,
		Object: e.partnershipOffer(p, org, group), Content: reason, To: []string{org.URI}, Recipients: []*models.Actor{org}})
}

// ReceivePartnershipAnswer records a remote community's Accept or Reject of
// our organization's request; only that community answers, once.
func (e *Economy) ReceivePartnershipAnswer(ctx context.Context, from *models.Actor, offerURI string, accepted bool) error {
	p, err := e.d.Store.PartnershipByOfferURI(ctx, offerURI)
	if err != nil {
		return errs.NotFound("no partnership request of ours at %s", offerURI)
	}
	if from == nil || from.Local() || p.CommunityID != from.ID {
		return errs.Forbidden("only the community asked answers a partnership request")
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		return tx.DecidePartnership(ctx, p.ID, accepted, from.ID, "", e.d.Now())
	})
	if errors.Is(err, store.ErrConflict) {
		if now, err := e.d.Store.PartnershipByID(ctx, p.ID); err == nil && accepted && now.State == models.PartnershipActive &&
			now.DecidedByID == from.ID {
			return nil // its Add arrived before its Accept
		}
		return errs.Conflict("this request was answered already")
	} else if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ReceivePartnersChange records a remote Group's Add (add) or Remove of the
// organization orgURI on its partners collection target. Only the Group
// changes its own collection ({group}/partners); the object must be an
// Organization. A second Add changes nothing; the Remove of a non-partner is
// 404.
func (e *Economy) ReceivePartnersChange(ctx context.Context, group *models.Actor, add bool, target, orgURI string) error {
	if group == nil || group.Local() || group.Type != models.ActorGroup || target != PartnersURI(group) {
		return errs.Forbidden("only a community changes its own partners collection")
	}
	org, err := e.d.Social.ResolveActor(ctx, orgURI)
	if err != nil {
		return err
	}
	if org.Type != models.ActorOrganization {
		return errs.Unprocessable("%s is not an organization", orgURI)
	}
	now := e.d.Now()
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		open, err := tx.OpenPartnership(ctx, group.ID, org.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if !add {
				return errs.NotFound("@%s is not a partner of %s", org.Username, group.URI)
			}
			p := &models.Partnership{ID: models.NewID(), CommunityID: group.ID, OrganizationID: org.ID, State: models.PartnershipActive,
				RequestedByID: group.ID, DecidedByID: group.ID, CreatedAt: now, DecidedAt: &now}
			return tx.CreatePartnership(ctx, p)
		case err != nil:
			return err
		case !add:
			return tx.EndPartnership(ctx, open.ID, group.ID, now)
		case open.State == models.PartnershipActive:
			return nil // a second Add, or the Add after the Group's Accept: nothing changes
		default: // our organization's request, now recognised
			return tx.DecidePartnership(ctx, open.ID, true, group.ID, "", now)
		}
	})
	switch {
	case errors.Is(err, store.ErrExists), errors.Is(err, store.ErrConflict):
		return errs.Conflict("the partnership changed meanwhile")
	case err != nil && errs.Status(err) == 0:
		return errs.Internal(err)
	}
	return err
}

// ReceivePartnerLeave is a remote organization ending its partnership with
// one of our communities (or withdrawing its request): its Remove of itself
// from the Group's partners collection. The Group publishes its own Remove
// and undoes its Follow, as when a steward ends it.
func (e *Economy) ReceivePartnerLeave(ctx context.Context, org *models.Actor, target string) error {
	groupURI, ok := strings.CutSuffix(target, "/partners")
	if !ok || org == nil || org.Local() {
		return errs.Forbidden("only an organization leaves a community's partners")
	}
	group, err := e.d.Store.ActorByURI(ctx, groupURI)
	if err != nil || !group.Local() || group.Type != models.ActorGroup {
		return errs.NotFound("no community of ours at %s", groupURI)
	}
	p, err := e.d.Store.OpenPartnership(ctx, group.ID, org.ID)
	if err != nil {
		return errs.NotFound("@%s is not a partner of @%s", org.Username, group.Username)
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.EndPartnership(ctx, p.ID, org.ID, e.d.Now()); err != nil {
			return err
		}
		if p.State != models.PartnershipActive {
			return nil
		}
		return e.unrecognise(ctx, tx, group, org)
	})
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("this partnership has already ended")
	} else if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// leaveRemote is our organization ending its partnership with a remote
// community (or withdrawing its request): Remove{organization, target the
// Group's partners} by the organization, to the Group.
func (e *Economy) leaveRemote(ctx context.Context, tx *store.Store, group, org *models.Actor) error {
	return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: core.TypeRemove, Actor: org,
		Object: core.Ref{URI: org.URI}, Target: PartnersURI(group), To: []string{group.URI}, Recipients: []*models.Actor{group}})
}

// OrganizationPartnerships lists an organization's requested and active
// partnerships (with local or remote communities), newest first: its
// profile page shows them.
func (e *Economy) OrganizationPartnerships(ctx context.Context, org *models.Actor, limit, offset int) ([]Partnership, error) {
	return e.Partnerships(ctx, store.PartnershipFilter{OrganizationID: org.ID,
		States: []string{models.PartnershipRequested, models.PartnershipActive}}, limit, offset)
}

// KnownCommunity finds a community for the partners pages: a local one by
// name, or a remote one already known here by "name@host" (never fetched: a
// page view does not reach out to other servers).
func (e *Economy) KnownCommunity(ctx context.Context, handle string) (*models.Actor, error) {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	var (
		a   *models.Actor
		err error
	)
	if name, host, ok := strings.Cut(handle, "@"); ok && !strings.EqualFold(host, e.d.Cfg.PublicHost()) {
		a, err = e.d.Store.ActorByHandle(ctx, name, host)
	} else {
		a, err = e.d.Actors.LocalByHandle(ctx, name)
	}
	if err != nil || a.Type != models.ActorGroup {
		return nil, errs.NotFound("no community %q known here", handle)
	}
	return a, nil
}
