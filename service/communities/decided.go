package communities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Decisions taken by the community itself (a passed governance proposal)
// rather than by one of its maintainers or stewards: the same state changes
// and federated activities as DecideMembership and SetRole, run inside the
// caller's transaction (the proposal's close), with no personal permission
// check — the vote was the permission. byID is who the role log names: the
// proposal's author.

// AdmitDecided accepts member's pending membership request of group: pending →
// active, logged, and Accept{Join} sent to a remote member. ErrConflict
// (errs 409) when there is no pending request any more.
func (c *Communities) AdmitDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, byID string) error {
	m, err := tx.Membership(ctx, group.ID, member.ID)
	if err != nil || m.State != models.MembershipPending {
		return errs.Conflict("%s has no pending membership request", member.Username)
	}
	err = tx.TransitionMembership(ctx, m.ID, []string{models.MembershipPending}, models.MembershipActive, nil,
		&models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: member.ID, ByID: byID, NewRole: m.Role})
	if core.LostRace(err) {
		return errs.Conflict("%s's membership request was already answered", member.Username)
	}
	if err != nil {
		return err
	}
	m.State = models.MembershipActive
	if err := c.followOnJoin(ctx, tx, group, member); err != nil {
		return err
	}
	if err := c.notifyDecision(ctx, tx, group, member, m, byID, true); err != nil {
		return err
	}
	if !member.Local() {
		return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, member, m, true, ""))
	}
	return nil
}

// SetRoleDecided gives member the role in group (grant or revoke role), with
// the federated Add/Remove on the moderators collection SetRole sends. The last
// steward still cannot be demoted (409).
func (c *Communities) SetRoleDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, role, byID string) error {
	if roleRank(role) == 0 {
		return errs.Unprocessable("role must be member, maintainer or steward")
	}
	if err := tx.LockCommunity(ctx, group.ID); err != nil {
		return err
	}
	m, err := tx.Membership(ctx, group.ID, member.ID)
	if err != nil || m.State != models.MembershipActive {
		return errs.Conflict("%s is not a member", member.Username)
	}
	if m.Role == role {
		return nil
	}
	return c.applyRole(ctx, tx, group, member, m, role, byID)
}

// RemoveDecided removes member from group (remove member): the membership is
// deleted and logged, and the Group sends Remove{member, target: its members
// collection} to its followers and the member. The last steward cannot be
// removed (409).
func (c *Communities) RemoveDecided(ctx context.Context, tx *store.Store, group, member *models.Actor, byID string) error {
	m, err := tx.Membership(ctx, group.ID, member.ID)
	if err != nil || m.State != models.MembershipActive {
		return errs.Conflict("%s is not a member", member.Username)
	}
	if err := c.keepsSteward(ctx, tx, group, m, "the last steward cannot be removed"); err != nil {
		return err
	}
	if err := tx.RemoveMembershipAsRead(ctx, m); core.LostRace(err) {
		return errs.Conflict("%s's membership changed in the meantime", member.Username)
	} else if err != nil {
		return err
	}
	if err := tx.LogRoleChange(ctx, &models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: member.ID, ByID: byID, OldRole: m.Role}); err != nil {
		return err
	}
	var recipients []*models.Actor
	if !member.Local() {
		recipients = append(recipients, member)
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeRemove, Actor: group,
		Object: core.Ref{URI: member.URI}, Target: group.URI + "/members", Audience: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, ToFollowers: true, Recipients: recipients})
}

// AcceptDecided accepts an open contribution to group (accept contribution),
// exactly as a maintainer's accept does — ledger entries, Accept to a remote
// contributor, Add to the commons and Announce — in tx. 409 when it was
// decided meanwhile.
func (c *Communities) AcceptDecided(ctx context.Context, tx *store.Store, group *models.Actor, contributionID, byID string) error {
	co, err := tx.ContributionByID(ctx, contributionID)
	if err != nil || co.CommunityID != group.ID {
		return errs.Conflict("the contribution %s is not in this community", contributionID)
	}
	com, err := tx.CommunityByActorID(ctx, group.ID)
	if err != nil {
		return err
	}
	contributor, err := tx.ActorByID(ctx, co.ContributorID)
	if err != nil {
		return err
	}
	var contributors []*models.Actor
	for _, u := range co.Contributors {
		if a, err := tx.ActorByURI(ctx, u); err == nil {
			contributors = append(contributors, a)
		}
	}
	if len(contributors) == 0 {
		contributors = []*models.Actor{contributor}
	}
	now := c.d.Now()
	err = tx.TransitionContribution(ctx, co.ID, []string{models.ContributionOpen, models.ContributionChangesRequested},
		models.ContributionAccepted, map[string]any{"decided_by_id": byID, "accepted_at": now})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return errs.Conflict("the contribution was already decided")
	} else if err != nil {
		return err
	}
	co.State, co.DecidedByID = models.ContributionAccepted, byID
	return c.carryAccept(ctx, tx, byID, co, group, com, contributor, contributors, now)
}

// CheckPatch reads a community patch (JSON, unknown fields refused) for a
// proposal and checks it on its own: terms true means amend charter (charter
// and licence only), false change settings (everything but the terms, which
// need their own kind). It returns the patch normalised.
func (c *Communities) CheckPatch(raw json.RawMessage, terms bool) (json.RawMessage, error) {
	var p CommunityPatch
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, errs.Unprocessable("invalid arguments: %v", err)
	}
	isTerms := p.Charter != nil || p.Licence != nil
	rest := p
	rest.Charter, rest.Licence = nil, nil
	switch {
	case p.Empty():
		return nil, errs.Unprocessable("nothing to change")
	case terms && !rest.Empty():
		return nil, errs.Unprocessable("amend_charter changes the charter and the licence only (use change_settings)")
	case !terms && isTerms:
		return nil, errs.Unprocessable("the charter and the licence change by amend_charter")
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	out, err := json.Marshal(p)
	return out, err
}

// UpdateDecided applies a passed proposal's community patch (amend charter,
// change settings) in tx, recording the proposal in the charter history and
// sending Update{Group}.
func (c *Communities) UpdateDecided(ctx context.Context, tx *store.Store, group *models.Actor, raw json.RawMessage, byID, proposalID string) error {
	var p CommunityPatch
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	by, err := tx.ActorByID(ctx, byID)
	if err != nil {
		by = nil
	}
	_, err = c.UpdateTx(ctx, tx, by, group, p, proposalID)
	return err
}
