package communities

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// CommunityPatch is a change of a community's settings: every field left nil
// stays as it is. It is what the steward settings form and
// PATCH /api/v1/communities/{handle} send, and what a governance proposal
// ("amend charter", "change settings") carries as JSON until it passes; the
// JSON names are those of the API.
//
// The licence only moves forward: a new licence applies to contributions
// offered after the change, each earlier contribution keeps the licence it was
// offered under (Contribution.Licence), and the charter history records from
// which version on which licence applies.
type CommunityPatch struct {
	Name             *string         `json:"name,omitempty"`
	Summary          *string         `json:"summary,omitempty"`
	Charter          *string         `json:"charter,omitempty"`
	Licence          *string         `json:"licence,omitempty"`
	Links            *[]models.Field `json:"links,omitempty"`
	PostingPolicy    *string         `json:"posting_policy,omitempty"`
	OfferPolicy      *string         `json:"offer_policy,omitempty"`
	MembershipPolicy *string         `json:"membership_policy,omitempty"`
	MembersPublic    *bool           `json:"members_public,omitempty"`
	ApproveFollowers *bool           `json:"approve_followers,omitempty"`
	WeightMin        *int            `json:"weight_min,omitempty"`
	WeightMax        *int            `json:"weight_max,omitempty"`
}

// Empty reports whether the patch changes nothing.
func (p CommunityPatch) Empty() bool { return p == CommunityPatch{} }

// Check validates the patch on its own (lengths, licences, policies, URLs):
// what a proposal carrying it can be refused for when it is opened. The weight
// bounds are checked against the community's current ones when applied.
func (p CommunityPatch) Check() error {
	if err := p.checkEmpty(); err != nil {
		return err
	}
	in := CommunityInput{Name: "x", Licence: Licences[0], WeightMin: 1, WeightMax: 1}
	p.into(&in)
	if in.WeightMin == 0 && in.WeightMax == 0 {
		in.WeightMax = 1 // normalise would take 0/0 for "defaults"
	}
	if in.WeightMax < in.WeightMin && (p.WeightMin == nil || p.WeightMax == nil) {
		in.WeightMax = in.WeightMin // the other bound is the community's; checked on apply
	}
	var bad errs.Fields
	in.normalise(&bad)
	return bad.Err()
}

// checkEmpty refuses a name, licence or policy sent empty: leaving a field
// out keeps it, an empty value never means "the default".
func (p CommunityPatch) checkEmpty() error {
	for name, v := range map[string]*string{"name": p.Name, "licence": p.Licence, "posting_policy": p.PostingPolicy,
		"offer_policy": p.OfferPolicy, "membership_policy": p.MembershipPolicy} {
		if v != nil && strings.TrimSpace(*v) == "" {
			return errs.Unprocessable("%s must not be empty", name)
		}
	}
	return nil
}

func (p CommunityPatch) into(in *CommunityInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Name, p.Name)
	set(&in.Summary, p.Summary)
	set(&in.Charter, p.Charter)
	set(&in.Licence, p.Licence)
	set(&in.PostingPolicy, p.PostingPolicy)
	set(&in.OfferPolicy, p.OfferPolicy)
	set(&in.MembershipPolicy, p.MembershipPolicy)
	if p.Links != nil {
		in.Links = nil
		for _, l := range *p.Links {
			l.Name, l.Value = strings.TrimSpace(l.Name), strings.TrimSpace(l.Value)
			if l.Name != "" || l.Value != "" {
				in.Links = append(in.Links, models.Field{Name: l.Name, Value: l.Value})
			}
		}
	}
	if p.MembersPublic != nil {
		in.MembersPublic = *p.MembersPublic
	}
	if p.ApproveFollowers != nil {
		in.ApproveFollowers = *p.ApproveFollowers
	}
	if p.WeightMin != nil {
		in.WeightMin = *p.WeightMin
	}
	if p.WeightMax != nil {
		in.WeightMax = *p.WeightMax
	}
}

// Settings returns a community's current settings as a CommunityInput (what
// the settings form shows).
func Settings(group *models.Actor, com *models.Community) CommunityInput {
	var links []models.Field
	if com.Links != "" {
		_ = json.Unmarshal([]byte(com.Links), &links)
	}
	return CommunityInput{Handle: group.Username, Name: group.Name, Summary: group.SummarySource,
		Licence: com.Licence, Charter: com.Charter, Links: links, PostingPolicy: com.PostingPolicy,
		OfferPolicy: com.OfferPolicy, MembershipPolicy: com.MembershipPolicy, MembersPublic: com.MembersPublic,
		ApproveFollowers: group.ManuallyApprovesFollowers, WeightMin: com.WeightMin, WeightMax: com.WeightMax}
}

// Update changes a local community's settings: stewards only. See UpdateTx.
func (c *Communities) Update(ctx context.Context, by, group *models.Actor, p CommunityPatch) (*models.Community, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in to edit a community")
	}
	var com *models.Community
	err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		com, err = c.UpdateTx(ctx, tx, by, group, p, "")
		return err
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return com, nil
}

// UpdateTx applies p to the local community group inside the caller's
// transaction tx, and returns the community as it now is.
//
// by is who changes it. With proposalID empty, by must be an active steward.
// With proposalID set, the community decided (a passed governance proposal,
// called from the proposal's close transaction): no personal permission is
// checked — the vote was the permission — and by (the proposal's author, or
// nil) and the proposal are what the charter history records.
//
// A change of the charter or the licence adds a version to the charter history
// (the founding terms become version 1 at the first change). Any change is
// sent as Update{Group} (the whole actor document) to the Group's followers and
// its members on other servers; a patch that changes nothing sends nothing.
// The community's row is locked first, so two edits apply one after the other.
func (c *Communities) UpdateTx(ctx context.Context, tx *store.Store, by, group *models.Actor, p CommunityPatch, proposalID string) (*models.Community, error) {
	if group == nil || !group.Local() || group.Type != models.ActorGroup {
		return nil, errs.NotFound("not a local community")
	}
	if proposalID == "" {
		if by == nil {
			return nil, errs.Unauthorized("log in to edit a community")
		}
	}
	if p.Empty() {
		return nil, errs.Unprocessable("nothing to change")
	}
	if err := tx.LockCommunity(ctx, group.ID); err != nil {
		return nil, err
	}
	if proposalID == "" {
		m, err := tx.Membership(ctx, group.ID, by.ID)
		if err != nil || m.State != models.MembershipActive || m.Role != models.RoleCommunitySteward {
			return nil, errs.Forbidden("only stewards may edit the community")
		}
	}
	com, err := tx.CommunityByActorID(ctx, group.ID)
	if err != nil {
		return nil, errs.NotFound("community not found")
	}
	act, err := tx.ActorByID(ctx, group.ID)
	if err != nil {
		return nil, err
	}
	old := Settings(act, com)
	in := old
	p.into(&in)
	if err := p.checkEmpty(); err != nil {
		return nil, err
	}
	var bad errs.Fields
	in.normalise(&bad)
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if equalSettings(old, in) {
		return com, nil
	}
	now := c.d.Now()
	terms := in.Charter != old.Charter || in.Licence != old.Licence
	if terms {
		versions, err := tx.CharterVersions(ctx, group.ID)
		if err != nil {
			return nil, err
		}
		next := 1
		if len(versions) == 0 {
			// The founding terms are version 1.
			if err := tx.AddCharterVersion(ctx, &models.CharterVersion{ID: models.NewID(), CommunityID: group.ID,
				Version: 1, Charter: old.Charter, CharterHTML: com.CharterHTML, Licence: old.Licence,
				AuthorID: c.founderActorID(ctx, tx, com), CreatedAt: com.CreatedAt}); err != nil {
				return nil, err
			}
			next = 2
		} else {
			next = versions[0].Version + 1
		}
		v := &models.CharterVersion{ID: models.NewID(), CommunityID: group.ID, Version: next, Charter: in.Charter,
			CharterHTML: content.Markdown(in.Charter), Licence: in.Licence, ProposalID: proposalID, CreatedAt: now}
		if by != nil {
			v.AuthorID = by.ID
		}
		if err := tx.AddCharterVersion(ctx, v); err != nil {
			if errors.Is(err, store.ErrExists) {
				return nil, errs.Conflict("the charter was changed in the meantime; try again")
			}
			return nil, err
		}
	}
	links, _ := json.Marshal(in.Links)
	act.Name = in.Name
	act.SummarySource, act.Summary = in.Summary, content.Plain(in.Summary)
	act.Fields = string(links)
	act.ManuallyApprovesFollowers = in.ApproveFollowers
	act.UpdatedAt = now
	com.Licence, com.Charter = in.Licence, in.Charter
	if in.Charter != old.Charter {
		com.CharterHTML = content.Markdown(in.Charter)
	}
	com.Links = string(links)
	com.PostingPolicy, com.OfferPolicy, com.MembershipPolicy = in.PostingPolicy, in.OfferPolicy, in.MembershipPolicy
	com.MembersPublic, com.WeightMin, com.WeightMax = in.MembersPublic, in.WeightMin, in.WeightMax
	com.UpdatedAt = now
	if err := tx.SaveCommunitySettings(ctx, act, com); err != nil {
		return nil, err
	}
	*group = *act
	remote, err := tx.RemoteMembers(ctx, group.ID)
	if err != nil {
		return nil, err
	}
	recipients := make([]*models.Actor, len(remote))
	for i := range remote {
		recipients[i] = &remote[i]
	}
	members, err := tx.CountMembers(ctx, group.ID, nil)
	if err != nil {
		return nil, err
	}
	if err := c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeUpdate,
		Actor: act, Object: core.GroupObject{Group: act, Community: com, Members: members}, Published: now,
		To: []string{core.PublicCollection}, CC: []string{act.FollowersURI}, ToFollowers: true,
		Recipients: recipients}); err != nil {
		return nil, err
	}
	return com, nil
}

// founderActorID is the actor of the user who founded the community, or "".
func (c *Communities) founderActorID(ctx context.Context, tx *store.Store, com *models.Community) string {
	if com.CreatedByID == "" {
		return ""
	}
	if u, err := tx.UserByID(ctx, com.CreatedByID); err == nil {
		return u.ActorID
	}
	return ""
}

func equalSettings(a, b CommunityInput) bool {
	return a.Name == b.Name && a.Summary == b.Summary && a.Licence == b.Licence && a.Charter == b.Charter &&
		slices.EqualFunc(a.Links, b.Links, func(x, y models.Field) bool { return x.Name == y.Name && x.Value == y.Value }) && a.PostingPolicy == b.PostingPolicy && a.OfferPolicy == b.OfferPolicy &&
		a.MembershipPolicy == b.MembershipPolicy && a.MembersPublic == b.MembersPublic &&
		a.ApproveFollowers == b.ApproveFollowers && a.WeightMin == b.WeightMin && a.WeightMax == b.WeightMax
}

// CharterHistory lists the versions of a local community's charter and
// licence, newest first. Before the first change it is the founding terms
// alone, as version 1.
func (c *Communities) CharterHistory(ctx context.Context, group *models.Actor) ([]models.CharterVersion, error) {
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, err
	}
	out, err := c.d.Store.CharterVersions(ctx, group.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if len(out) == 0 {
		out = []models.CharterVersion{{CommunityID: group.ID, Version: 1, Charter: com.Charter,
			CharterHTML: com.CharterHTML, Licence: com.Licence, CreatedAt: com.CreatedAt}}
		if com.CreatedByID != "" {
			if u, err := c.d.Store.UserByID(ctx, com.CreatedByID); err == nil {
				out[0].AuthorID = u.ActorID
			}
		}
	}
	return out, nil
}
