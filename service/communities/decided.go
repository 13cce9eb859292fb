package communities

import (
	"context"

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
