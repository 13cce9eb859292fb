package communities

import (
	"context"
	"errors"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// UnfollowedBy is called by Social.ReceiveUndoFollow before a remote
// follower's follow of a local Group is removed. Mastodon, GoToSocial and
// Lemmy users join a community by following it and leave it by unfollowing
// (Undo{Follow}); they have no Leave. So the Undo ends their membership, active
// or pending, as Leave does (logged in the role log), with one exception: the
// last steward stays a steward (the follow still ends), since a community
// must keep one. An awaiting_follow intent (asked for on the community's page,
// not yet confirmed by a Follow) is kept: it waits for the next Follow.
//
// It is also called by Social.Unfollow when a local user unfollows a remote
// Group: the community's instance applies the rule above to the Undo{Follow}
// (it cannot tell our users from Mastodon's), so our copy of the membership
// ends too, without a Leave (the Undo says it). A copy with a steward role is
// kept: the community may have kept its last steward, and its next role
// update corrects the copy.
func (c *Communities) UnfollowedBy(ctx context.Context, group, follower *models.Actor) error {
	if group.Type != models.ActorGroup {
		return nil
	}
	if follower.Local() && !group.Local() {
		return c.unfollowedRemote(ctx, group, follower)
	}
	if !group.Local() || follower.Local() {
		return nil
	}
	m, err := c.d.Store.Membership(ctx, group.ID, follower.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return errs.Internal(err)
	}
	if m.State == models.MembershipAwaitingFollow {
		return nil
	}
	err = c.Leave(ctx, follower, group)
	switch {
	case err == nil:
		c.d.Log.Info("membership ended by unfollow", "community", group.Username, "actor", follower.URI)
		return nil
	case errs.Status(err) == http.StatusConflict:
		c.d.Log.Info("unfollow by the last steward: the membership stays", "community", group.Username, "actor", follower.URI)
		return nil
	case errs.Status(err) == http.StatusNotFound:
		return nil
	}
	return err
}

// unfollowedRemote ends a local user's copy of their membership of a remote
// community they unfollowed (see UnfollowedBy).
func (c *Communities) unfollowedRemote(ctx context.Context, group, follower *models.Actor) error {
	m, err := c.d.Store.Membership(ctx, group.ID, follower.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return errs.Internal(err)
	}
	if m.Role == models.RoleCommunitySteward || m.State == models.MembershipAwaitingFollow {
		return nil
	}
	if err := c.d.Store.RemoveMembershipAsRead(ctx, m); err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
		return errs.Internal(err)
	}
	return nil
}
