package economy

import (
	"context"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Partnerships (issue 12): an organization asks a local community to
// recognise it, with a reciprocity pledge in words and measurable terms. The
// community's stewards decide (DecidePartnership), or a passed governance
// proposal of kind recognise_partner (RecogniseDecided, the same effect in
// the proposal's close transaction). Recognition is carried out by the Group:
// it Follows the organization and Adds it to its partners collection
// ({group}/partners). Either side ends it (EndPartnership): the Group Removes
// it from partners and Undoes its Follow.
//
// Across instances (partnerships_fed.go): a local organization asks a remote
// community, and a remote organization asks one of ours, with
// Offer{Agreement}; a remote community's Add/Remove on its partners
// collection is recorded.

// PartnershipInput is an organization's request.
type PartnershipInput struct {
	// As is the handle of the organization the user acts for; Community the
	// handle of the local community asked.
	As, Community string
	Pledge, Terms string
	// Structured is the measurable terms as numbers (all optional).
	Structured TermsInput
}

// Partnership is a partnership with its two sides.
type Partnership struct {
	models.Partnership
	Community, Organization *models.Actor
}

// RequestPartnership records the request of a local organization (the user
// must be one of its admins) to be recognised by a local community. One open
// request or partnership per pair: a second is 409.
func (e *Economy) RequestPartnership(ctx context.Context, by *models.User, in PartnershipInput) (*Partnership, error) {
	in.Pledge, in.Terms = strings.TrimSpace(in.Pledge), strings.TrimSpace(in.Terms)
	if strings.TrimSpace(in.As) == "" {
		return nil, errs.Unprocessable("name the organization you act for")
	}
	org, err := e.actingAs(ctx, by, in.As)
	if err != nil {
		return nil, err
	}
	p := &models.Partnership{ID: models.NewID(), OrganizationID: org.ID,
		State: models.PartnershipRequested, Pledge: in.Pledge, Terms: in.Terms, RequestedByID: by.ActorID, CreatedAt: e.d.Now()}
	if err := e.checkRequest(org, p, in.Structured); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Community) == "" {
		return nil, errs.Unprocessable("name the community you ask")
	}
	group, err := e.d.Social.ResolveActor(ctx, in.Community)
	if err != nil || group.Type != models.ActorGroup {
		return nil, errs.NotFound("no community %q", in.Community)
	}
	p.CommunityID = group.ID
	if group.Local() {
		err = e.d.Store.CreatePartnership(ctx, p)
	} else {
		err = e.requestRemote(ctx, p, org, group)
	}
	if errors.Is(err, store.ErrExists) {
		return nil, errs.Conflict("@%s already asked @%s, or is its partner", org.Username, group.Username)
	} else if err != nil {
		return nil, errs.Internal(err)
	}
	return &Partnership{Partnership: *p, Community: group, Organization: org}, nil
}

// PartnershipByID loads a partnership with its sides.
func (e *Economy) PartnershipByID(ctx context.Context, id string) (*Partnership, error) {
	p, err := e.d.Store.PartnershipByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("partnership not found")
	}
	return e.withSides(ctx, p)
}

func (e *Economy) withSides(ctx context.Context, p *models.Partnership) (*Partnership, error) {
	as, err := e.d.Store.ActorsByIDs(ctx, []string{p.CommunityID, p.OrganizationID})
	if err != nil {
		return nil, errs.Internal(err)
	}
	if as[p.CommunityID] == nil || as[p.OrganizationID] == nil {
		return nil, errs.NotFound("partnership not found")
	}
	return &Partnership{Partnership: *p, Community: as[p.CommunityID], Organization: as[p.OrganizationID]}, nil
}

// Partnerships lists a community's (or an organization's) partnerships in
// the given states, newest first.
func (e *Economy) Partnerships(ctx context.Context, f store.PartnershipFilter, limit, offset int) ([]Partnership, error) {
	list, err := e.d.Store.ListPartnerships(ctx, f, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]Partnership, 0, len(list))
	for i := range list {
		p, err := e.withSides(ctx, &list[i])
		if err != nil {
			continue
		}
		out = append(out, *p)
	}
	return out, nil
}

// DecidePartnership is a steward's answer to a request: accept (recognition,
// with the Follow and the Add) or decline (ended). 403 for anyone but a
// steward of the community; 409 when it was already answered.
func (e *Economy) DecidePartnership(ctx context.Context, by *models.User, id string, accept bool) (*Partnership, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in first")
	}
	p, err := e.PartnershipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	me, err := e.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, err
	}
	if !p.Community.Local() || e.d.Communities.Role(ctx, p.Community, me) != models.RoleCommunitySteward {
		return nil, errs.Forbidden("only the stewards of @%s decide its partnerships", p.Community.Username)
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if !accept {
			if err := tx.DecidePartnership(ctx, p.ID, false, me.ID, "", e.d.Now()); err != nil {
				return err
			}
			return e.answerPartnership(ctx, tx, core.TypeReject, &p.Partnership, p.Organization, p.Community, "declined by a steward")
		}
		return e.recognise(ctx, tx, p, me.ID, "")
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, errs.Conflict("this request was already answered")
	} else if err != nil {
		return nil, errs.Internal(err)
	}
	return e.PartnershipByID(ctx, id)
}

// RecogniseDecided carries out a passed recognise_partner proposal in tx:
// the organization's open request is accepted — or, when it never asked
// (e.g. a remote organization), a partnership is recorded as active with no
// pledge. 409 when it is already a partner.
func (e *Economy) RecogniseDecided(ctx context.Context, tx *store.Store, group, org *models.Actor, byID, proposalID string) error {
	mp, err := tx.OpenPartnership(ctx, group.ID, org.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		mp = &models.Partnership{ID: models.NewID(), CommunityID: group.ID, OrganizationID: org.ID,
			State: models.PartnershipRequested, RequestedByID: byID, CreatedAt: e.d.Now()}
		if err := tx.CreatePartnership(ctx, mp); err != nil {
			return err
		}
	case err != nil:
		return err
	case mp.State == models.PartnershipActive:
		return errs.Conflict("@%s is already a partner", org.Username)
	}
	err = e.recognise(ctx, tx, &Partnership{Partnership: *mp, Community: group, Organization: org}, byID, proposalID)
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("the request of @%s was answered meanwhile", org.Username)
	}
	return err
}

// recognise moves p requested → active, makes the Group follow the
// organization and publishes the Follow (to a remote organization) and
// Add{organization, target partners}.
func (e *Economy) recognise(ctx context.Context, tx *store.Store, p *Partnership, byID, proposalID string) error {
	if err := tx.DecidePartnership(ctx, p.ID, true, byID, proposalID, e.d.Now()); err != nil {
		return err
	}
	group, org := p.Community, p.Organization
	if err := e.answerPartnership(ctx, tx, core.TypeAccept, &p.Partnership, org, group, ""); err != nil {
		return err
	}
	if _, err := tx.FollowByPair(ctx, group.ID, org.ID); errors.Is(err, store.ErrNotFound) {
		id := models.NewID()
		f := &models.Follow{ID: id, URI: e.d.URLs.Activity(id), FollowerID: group.ID, TargetID: org.ID, State: models.FollowPending}
		if org.Local() && !org.ManuallyApprovesFollowers {
			f.State = models.FollowAccepted
		}
		if err := tx.CreateFollow(ctx, f); err != nil {
			return err
		}
		if !org.Local() {
			if err := e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: f.URI, Type: core.TypeFollow, Actor: group,
				Object: core.Ref{URI: org.URI}, To: []string{org.URI}, Recipients: []*models.Actor{org}}); err != nil {
				return err
			}
		}
	} else if err != nil {
		return err
	}
	return e.d.Pub.Publish(ctx, tx, e.partnersActivity(core.TypeAdd, group, org))
}

func (e *Economy) partnersActivity(verb string, group, org *models.Actor) *core.Outbound {
	var recipients []*models.Actor
	if !org.Local() {
		recipients = []*models.Actor{org}
	}
	return &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: verb, Actor: group,
		Object: core.Ref{URI: org.URI}, Target: PartnersURI(group), Audience: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI, org.URI}, ToFollowers: true,
		Recipients: recipients, Public: true}
}

// PartnersURI is the id of a community's partners collection.
func PartnersURI(group *models.Actor) string { return group.URI + "/partners" }

// EndPartnership ends a partnership (or withdraws / declines a request) on
// behalf of either side: a steward of the community or an admin of the
// organization. An active one is Removed from partners and the Group's
// Follow of the organization is undone. 409 when it already ended.
func (e *Economy) EndPartnership(ctx context.Context, by *models.User, id string) (*Partnership, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in first")
	}
	p, err := e.PartnershipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	me, err := e.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, err
	}
	steward := p.Community.Local() && e.d.Communities.Role(ctx, p.Community, me) == models.RoleCommunitySteward
	if !steward && !e.IsAdmin(ctx, p.Organization, me) {
		return nil, errs.Forbidden("only a steward of @%s or an admin of @%s may end it", p.Community.Username, p.Organization.Username)
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.EndPartnership(ctx, p.ID, me.ID, e.d.Now()); err != nil {
			return err
		}
		switch {
		case !p.Community.Local():
			return e.leaveRemote(ctx, tx, p.Community, p.Organization)
		case p.State != models.PartnershipActive:
			return e.answerPartnership(ctx, tx, core.TypeReject, &p.Partnership, p.Organization, p.Community, "declined by a steward")
		}
		return e.unrecognise(ctx, tx, p.Community, p.Organization)
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, errs.Conflict("this partnership has already ended")
	} else if err != nil {
		return nil, errs.Internal(err)
	}
	return e.PartnershipByID(ctx, id)
}

// unrecognise publishes Remove{organization, target partners} and ends the
// Group's Follow of the organization (Undo{Follow} to a remote one).
func (e *Economy) unrecognise(ctx context.Context, tx *store.Store, group, org *models.Actor) error {
	if err := e.d.Pub.Publish(ctx, tx, e.partnersActivity(core.TypeRemove, group, org)); err != nil {
		return err
	}
	f, err := tx.FollowByPair(ctx, group.ID, org.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if err := tx.RemoveFollow(ctx, f.ID, nil); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if org.Local() {
		return nil
	}
	return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: core.TypeUndo,
		Actor: group, Object: core.FollowObject{Follow: f, Follower: group, Target: org},
		To: []string{org.URI}, Recipients: []*models.Actor{org}})
}

// PartnerActors lists a community's active partners (the
// partners collection).
func (e *Economy) PartnerActors(ctx context.Context, group *models.Actor, limit, offset int) ([]*models.Actor, error) {
	list, err := e.Partnerships(ctx, store.PartnershipFilter{CommunityID: group.ID, States: []string{models.PartnershipActive}}, limit, offset)
	if err != nil {
		return nil, err
	}
	out := make([]*models.Actor, 0, len(list))
	for _, p := range list {
		out = append(out, p.Organization)
	}
	return out, nil
}

// IsPartner reports whether org is an active partner of group.
func (e *Economy) IsPartner(ctx context.Context, group, org *models.Actor) bool {
	p, err := e.d.Store.OpenPartnership(ctx, group.ID, org.ID)
	return err == nil && p.State == models.PartnershipActive
}

// CommunityPartnerships lists a community's partnerships in one state
// (requested, active or ended), newest first.
func (e *Economy) CommunityPartnerships(ctx context.Context, group *models.Actor, state string, limit, offset int) ([]Partnership, error) {
	switch state {
	case models.PartnershipRequested, models.PartnershipActive, models.PartnershipEnded:
	default:
		return nil, errs.BadRequest("state must be requested, active or ended")
	}
	return e.Partnerships(ctx, store.PartnershipFilter{CommunityID: group.ID, States: []string{state}}, limit, offset)
}

// PartnerView is a partner's page: what it pledged (words and measurable
// terms) against what it delivered — its transfers to the community or to
// the community's members from the ledger, with per-currency sums (integer
// minor units, never summed across currencies). A transfer recorded by both
// sides (a disbursement in the organization's ledger and a receipt in the
// community's) shows twice: the ledgers are the two sides' own records.
type PartnerView struct {
	Partnership
	Delivered []models.EconomicEvent
	Sums      []models.Money
	// Promised is the structured terms; Months compares a monthly amount
	// with the month's deliveries (partner_compare.go).
	Promised Terms
	Months   []MonthDelivery
}

// PartnerPage builds the partner's page of a partnership.
func (e *Economy) PartnerPage(ctx context.Context, id string) (*PartnerView, error) {
	p, err := e.PartnershipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	list, err := e.d.Store.DeliveredBy(ctx, p.OrganizationID, p.CommunityID, 500)
	if err != nil {
		return nil, errs.Internal(err)
	}
	v := &PartnerView{Partnership: *p, Delivered: list, Promised: TermsOf(&p.Partnership),
		Months: monthsOf(&p.Partnership, list, e.d.Now())}
	idx := map[string]int{}
	for _, ev := range list {
		i, ok := idx[ev.Currency]
		if !ok {
			i = len(v.Sums)
			idx[ev.Currency] = i
			v.Sums = append(v.Sums, models.Money{Currency: ev.Currency})
		}
		v.Sums[i].Minor += ev.AmountMinor
	}
	return v, nil
}
