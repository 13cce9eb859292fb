package communities

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Read helpers for the API's views of communities: they load what is already
// stored and never fetch from other servers.

// MembershipOf returns actor's membership of group in any state (pending,
// invited, active), or nil when there is none.
func (c *Communities) MembershipOf(ctx context.Context, group, actor *models.Actor) *models.Membership {
	if group == nil || actor == nil {
		return nil
	}
	m, err := c.d.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil {
		return nil
	}
	return m
}

// MemberCount counts a community's active members.
func (c *Communities) MemberCount(ctx context.Context, group *models.Actor) (int64, error) {
	n, err := c.d.Store.CountMembers(ctx, group.ID, nil)
	if err != nil {
		return 0, errs.Internal(err)
	}
	return n, nil
}

// MemberRow is a membership with its actor, as member lists return it.
type MemberRow = store.MemberRow

// ReplyCount counts the public and unlisted replies to n, up to max; more
// reports that there are more than max.
func (c *Communities) ReplyCount(ctx context.Context, n *models.Note, max int) (count int, more bool, err error) {
	replies, err := c.d.Store.ListReplies(ctx, n.URI, max+1)
	if err != nil {
		return 0, false, errs.Internal(err)
	}
	if len(replies) > max {
		return max, true, nil
	}
	return len(replies), false, nil
}

// LikeCounts counts the likes of a thread's notes (the post and its replies),
// by note URI; a note without likes is absent.
func (c *Communities) LikeCounts(ctx context.Context, notes ...models.Note) (map[string]int64, error) {
	uris := make([]string, 0, len(notes))
	for _, n := range notes {
		uris = append(uris, n.URI)
	}
	out, err := c.d.Store.LikeCounts(ctx, uris)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}
