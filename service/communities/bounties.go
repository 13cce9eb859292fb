package communities

import (
	"context"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/store"
)

// Bounties and coalition announcements (issue 12) meet communities here.
// The economy sits above communities in the arrows, so it plugs its side in
// (SetBountyHooks, called by service.New): an offer that claims a bounty is
// checked by the economy and the claim stored with the contribution; when
// the contribution is accepted — by a maintainer (Decide) or by a passed
// accept_contribution proposal (AcceptDecided), both through carryAccept —
// the economy closes the bounty and records its payout in the same
// transaction.

// BountyHooks is the economy's side of bounty claims.
type BountyHooks interface {
	// CheckClaim resolves the bounty (its id or URI) an offer to group
	// claims and refuses a claim it does not allow (unknown, not a bounty,
	// closed, not addressed to group).
	CheckClaim(ctx context.Context, group *models.Actor, ref string) (id, uri string, err error)
	// Accepted runs in tx, the transaction accepting co, when co claims a
	// bounty: the bounty closes and its payout is recorded.
	Accepted(ctx context.Context, tx *store.Store, co *models.Contribution, group *models.Actor, contributors []*models.Actor, byID string) error
}

// SetBountyHooks plugs in the economy's side of bounty claims.
func (c *Communities) SetBountyHooks(h BountyHooks) { c.bounties = h }

// BountyRef is a claimed bounty's id here and its URI.
type BountyRef struct{ ID, URI string }

func (c *Communities) checkClaim(ctx context.Context, group *models.Actor, ref string) (BountyRef, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return BountyRef{}, nil
	}
	if c.bounties == nil {
		return BountyRef{}, errs.Unprocessable("bounties are not available here")
	}
	id, uri, err := c.bounties.CheckClaim(ctx, group, ref)
	if err != nil {
		return BountyRef{}, err
	}
	return BountyRef{ID: id, URI: uri}, nil
}

func (c *Communities) bountyAccepted(ctx context.Context, tx *store.Store, co *models.Contribution, group *models.Actor, contributors []*models.Actor, byID string) error {
	if c.bounties == nil {
		return nil
	}
	return c.bounties.Accepted(ctx, tx, co, group, contributors, byID)
}

// NotifyMaintainers notifies the maintainers and stewards of a local
// community in tx (an announcement held for them, issue 12).
func (c *Communities) NotifyMaintainers(ctx context.Context, tx *store.Store, group *models.Actor, nt models.Notification) error {
	return c.notifyMaintainers(ctx, tx, group, nt)
}

// RelayNote makes a local community announce a note to its followers in tx
// (a partner's announcement, or one its maintainers approved): Announce of
// the note, as Mastodon shows a boost.
func (c *Communities) RelayNote(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note) error {
	return c.relay(ctx, tx, group, n, "")
}

// NotifyAnnouncementHeld tells a community's maintainers that an
// announcement by a non-partner waits for them.
const NotifyAnnouncementHeld = "announcement_held"

func init() {
	notifications.RegisterKind(NotifyAnnouncementHeld, func(v notifications.View) string {
		who := "An organization"
		if v.Actor != nil {
			who = v.Actor.Name
			if who == "" {
				who = "@" + v.Actor.Username
			}
		}
		where := "your community"
		if v.Community != nil {
			where = "@" + v.Community.Username
		}
		return who + " addressed an announcement to " + where + "; it is not a partner, so it waits for your approval"
	})
}
