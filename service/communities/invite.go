package communities

import (
	"context"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// InviteByHandle is Invite for a handle or profile URL typed into a form or sent
// to the API: only maintainers get as far as resolving it (a WebFinger lookup
// for a remote handle), so nobody else makes this server fetch anything.
func (c *Communities) InviteByHandle(ctx context.Context, by, group *models.Actor, handle string) (*models.Membership, *models.Actor, error) {
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "invite members"); err != nil {
		return nil, nil, err
	}
	handle = strings.TrimSpace(handle)
	if handle == "" {
		return nil, nil, errs.Unprocessable("enter the handle of the person to invite, like @name or @name@their.server")
	}
	invitee, err := c.d.Social.ResolveActor(ctx, handle)
	if err != nil {
		return nil, nil, err
	}
	if invitee.Type == models.ActorGroup {
		return nil, nil, errs.Unprocessable("%s is a community; invite people", handle)
	}
	m, err := c.Invite(ctx, by, group, invitee)
	if err != nil {
		return nil, nil, err
	}
	return m, invitee, nil
}
