package service

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Membership requested by a Follow. Mastodon and most microblogging servers
// cannot send Join, so a visitor asks on the community's page with their handle:
// we record an awaiting_follow membership for that actor, and their Follow of the
// Group (which only the account's owner can send) turns it into a request under
// the membership policy. A Follow without such an intent stays a plain follow.

// RequestByFollow records that the owner of handle (an account on another server)
// wants to join group, and returns the actor and the awaiting membership. The
// membership is decided when that actor's Follow of the Group arrives.
func (c *Communities) RequestByFollow(ctx context.Context, group *models.Actor, handle string) (*models.Actor, *models.Membership, error) {
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, nil, err
	}
	if com.MembershipPolicy == models.PolicyInvitation {
		return nil, nil, errs.Forbidden("membership of this community is by invitation only")
	}
	actor, err := c.svc.Social.ResolveActor(ctx, handle)
	if err != nil {
		if s := errs.Status(err); s == 404 || s == 400 || s == 422 {
			return nil, nil, errs.Unprocessable("no account %s was found", handle)
		}
		return nil, nil, err
	}
	if actor.Local() {
		return nil, nil, errs.Unprocessable("%s has an account on this server: log in and join", handle)
	}
	if actor.Type == models.ActorGroup || actor.Type == models.ActorApplication {
		return nil, nil, errs.Unprocessable("%s is not a person's account", handle)
	}
	if actor.Suspended {
		return nil, nil, errs.Forbidden("this account is suspended")
	}
	if blocked, _ := c.svc.Store.IsBlocked(ctx, group.ID, actor.ID); blocked {
		return nil, nil, errs.Forbidden("this account is blocked by the community")
	}
	now := c.svc.Now()
	if m, err := c.svc.Store.Membership(ctx, group.ID, actor.ID); err == nil {
		switch m.State {
		case models.MembershipAwaitingFollow: // asked again: the wait starts over
			err := c.svc.Store.TransitionMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow},
				models.MembershipAwaitingFollow, map[string]any{"created_at": now}, nil)
			if lostRace(err) {
				return nil, nil, errs.Conflict("%s's request changed in the meantime; try again", handle)
			}
			if err != nil {
				return nil, nil, errs.Internal(err)
			}
			m.CreatedAt = now
			return actor, m, nil
		case models.MembershipActive:
			return nil, nil, errs.Conflict("%s is already a member", handle)
		case models.MembershipPending:
			return nil, nil, errs.Conflict("%s has already asked to join; a maintainer will answer", handle)
		default:
			return nil, nil, errs.Conflict("%s is invited: accept the invitation from your server", handle)
		}
	}
	m := &models.Membership{ID: models.NewID(), CommunityID: group.ID, ActorID: actor.ID,
		Role: models.RoleCommunityMember, State: models.MembershipAwaitingFollow, CreatedAt: now}
	if err := c.svc.Store.PutMembership(ctx, m); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, nil, errs.Conflict("%s has already asked to join", handle)
		}
		return nil, nil, errs.Internal(err)
	}
	return actor, m, nil
}

// FollowedBy is called by Social.Follow once follower's Follow of a local Group is
// stored (or repeated). An awaiting_follow membership of follower becomes a
// request under the membership policy: open → active (logged in the role log),
// approval → pending for the maintainers, invitation → refused (deleted). One
// older than models.AwaitingFollowTTL is dropped. Without one, nothing happens:
// following is not membership.
func (c *Communities) FollowedBy(ctx context.Context, group, follower *models.Actor) error {
	if group.Type != models.ActorGroup || !group.Local() {
		return nil
	}
	m, err := c.svc.Store.Membership(ctx, group.ID, follower.ID)
	if err != nil || m.State != models.MembershipAwaitingFollow {
		return nil
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return err
	}
	// Each change applies only to a still-awaiting intent: a concurrent Follow
	// (a retried delivery), Join or invitation that came first has superseded it.
	if c.svc.Now().Sub(m.CreatedAt) > models.AwaitingFollowTTL || com.MembershipPolicy == models.PolicyInvitation {
		if err := c.svc.Store.RemoveMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}); err != nil && !lostRace(err) {
			return errs.Internal(err)
		}
		return nil
	}
	var log *models.RoleChange
	m.State = models.MembershipPending
	if com.MembershipPolicy == models.PolicyOpen {
		m.State = models.MembershipActive
		log = &models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: follower.ID, ByID: follower.ID, NewRole: m.Role}
	}
	err = c.svc.Store.TransitionMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}, m.State, nil, log)
	if lostRace(err) {
		return nil
	}
	if err != nil {
		return errs.Internal(err)
	}
	c.svc.Log.Info("membership requested by follow", "community", group.Username, "actor", follower.URI, "state", m.State)
	return nil
}

// clearAwaiting drops an awaiting_follow membership before another path (Join,
// Invite) creates one: the intent is superseded.
func (c *Communities) clearAwaiting(ctx context.Context, group, actor *models.Actor) error {
	m, err := c.svc.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil || m.State != models.MembershipAwaitingFollow {
		return nil
	}
	if err := c.svc.Store.RemoveMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}); err != nil && !lostRace(err) {
		return err
	}
	return nil
}
