package communities

import (
	"context"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// "Join from another server". Mastodon and most microblogging servers cannot
// send Join, so a visitor asks on the community's page (or the API) with their
// handle: we record an awaiting_follow membership for that actor and give back a
// confirmation code (JoinCode). Anyone can type anyone's handle, so nothing
// happens until the account's owner confirms: a message from that account (a
// direct message is best) that addresses or mentions the Group and contains the
// code. Only the owner's server can send a message signed as that account, and
// an unrelated Follow or post carries no code, so a stranger who registered your
// handle cannot make you a member. Confirmation turns the request into a
// membership under the policy (see ConfirmByMessage). The form is rate-limited
// per client address, as logins are.

// JoinCode is the code the account's owner sends to confirm membership request
// m: "join-" and the request's id in lower case. It need not be secret (it is
// shown to whoever asked): what proves control of the account is that the
// message carrying it is signed as that account.
func JoinCode(m *models.Membership) string { return "join-" + strings.ToLower(m.ID) }

// JoinMessage is the text to send to group (whose handle is @name@host) to
// confirm m.
func JoinMessage(groupHandle string, m *models.Membership) string {
	return groupHandle + " " + JoinCode(m)
}

// RequestByFollow records that the owner of handle (an account on another server)
// wants to join group, and returns the actor and the awaiting membership, which
// waits for the owner's confirming message (JoinCode). clientIP is the asking
// client's address: requests are limited per address like login attempts.
func (c *Communities) RequestByFollow(ctx context.Context, group *models.Actor, handle, clientIP string) (*models.Actor, *models.Membership, error) {
	if !c.d.Accounts.AllowRequest("join-request\x00ip:" + clientIP) {
		return nil, nil, errs.TooMany("too many join requests from your address; wait a minute")
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, nil, err
	}
	if com.MembershipPolicy == models.PolicyInvitation {
		return nil, nil, errs.Forbidden("membership of this community is by invitation only")
	}
	actor, err := c.d.Social.ResolveActor(ctx, handle)
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
	if blocked, _ := c.d.Store.IsBlocked(ctx, group.ID, actor.ID); blocked {
		return nil, nil, errs.Forbidden("this account is blocked by the community")
	}
	now := c.d.Now()
	if m, err := c.d.Store.Membership(ctx, group.ID, actor.ID); err == nil {
		switch m.State {
		case models.MembershipAwaitingFollow: // asked again: the wait starts over
			err := c.d.Store.TransitionMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow},
				models.MembershipAwaitingFollow, map[string]any{"created_at": now}, nil)
			if core.LostRace(err) {
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
	if err := c.d.Store.PutMembership(ctx, m); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, nil, errs.Conflict("%s has already asked to join", handle)
		}
		return nil, nil, errs.Internal(err)
	}
	return actor, m, nil
}

// confirmJoin turns follower's awaiting_follow membership of group into a
// request under the membership policy if code is its JoinCode: open → active
// (logged in the role log), approval → pending for the maintainers, invitation →
// refused (deleted). One older than models.AwaitingFollowTTL, or of an account
// blocked by the community or suspended since, is dropped. The
// change is conditional on the state, so a repeated message changes nothing.
func (c *Communities) confirmJoin(ctx context.Context, group, follower *models.Actor, code string) error {
	m, err := c.d.Store.Membership(ctx, group.ID, follower.ID)
	if err != nil || m.State != models.MembershipAwaitingFollow || JoinCode(m) != code {
		return nil
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return err
	}
	// Each change applies only to a still-awaiting intent: a repeated message, a
	// Join or an invitation that came first has superseded it.
	blocked, _ := c.d.Store.IsBlocked(ctx, group.ID, follower.ID)
	if c.d.Now().Sub(m.CreatedAt) > models.AwaitingFollowTTL || com.MembershipPolicy == models.PolicyInvitation ||
		blocked || follower.Suspended {
		if err := c.d.Store.RemoveMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}); err != nil && !core.LostRace(err) {
			return errs.Internal(err)
		}
		return nil
	}
	var log *models.RoleChange
	state := models.MembershipPending
	if com.MembershipPolicy == models.PolicyOpen {
		state = models.MembershipActive
		log = &models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: follower.ID, ByID: follower.ID, NewRole: m.Role}
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.TransitionMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}, state, nil, log); err != nil {
			return err
		}
		if state != models.MembershipPending {
			return nil
		}
		return c.notifyMaintainers(ctx, tx, group, models.Notification{Kind: models.NotifyMembershipRequest,
			ActorID: follower.ID, CommunityID: group.ID, DedupeKey: "membership:" + m.ID})
	})
	if core.LostRace(err) {
		return nil
	}
	if err != nil {
		return errs.Internal(err)
	}
	c.d.Log.Info("membership request confirmed by message", "community", group.Username, "actor", follower.URI, "state", state)
	return nil
}

// clearAwaiting drops an awaiting_follow membership before another path (Join,
// Invite) creates one: the intent is superseded.
func (c *Communities) clearAwaiting(ctx context.Context, group, actor *models.Actor) error {
	m, err := c.d.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil || m.State != models.MembershipAwaitingFollow {
		return nil
	}
	if err := c.d.Store.RemoveMembership(ctx, m.ID, []string{models.MembershipAwaitingFollow}); err != nil && !core.LostRace(err) {
		return err
	}
	return nil
}
