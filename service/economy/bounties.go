package economy

import (
	"context"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/communities"
	"github.com/commonsd/commonsd/store"
)

// Bounties (issue 12): an announcement of kind bounty names what is wanted
// from the commons (its title and body) and a payout (its price). A
// contribution offered to a community the bounty is addressed to may claim
// it (the offer form, the API's "bounty", commons:claimsBounty on a
// federated offer's object). When the claiming contribution is accepted —
// by a maintainer or by a passed accept_contribution proposal, the same
// path (communities' carryAccept calls Accepted in its transaction) — the
// bounty closes (open → closed, conditional: one claim wins) and the payout
// is recorded as pending commitments (kind payout, fulfilling the bounty) to
// the contributors, split in integer minor units (the remainder to the
// first ones), in the community's ledger and, when the organization is
// ours, in its ledger too (each ledger is its side's own record, as for
// other transfers). When an admin of the organization confirms the payment
// (closed → paid), a transfer (kind payment) fulfilling each commitment is
// appended. Nothing is updated: totals (payouts, paid, pending) stay sums.

var _ communities.BountyHooks = (*Economy)(nil)

// CheckClaim resolves the bounty an offer to group claims (its id here or
// its URI): it must be an open bounty addressed to group.
func (e *Economy) CheckClaim(ctx context.Context, group *models.Actor, ref string) (string, string, error) {
	ref = strings.TrimSpace(ref)
	var b *models.Announcement
	var err error
	if strings.Contains(ref, "/") {
		b, err = e.d.Store.AnnouncementByURI(ctx, ref)
	} else {
		b, err = e.d.Store.AnnouncementByID(ctx, ref)
	}
	if err != nil {
		return "", "", errs.Unprocessable("no bounty %s is known here", ref)
	}
	if b.Kind != models.AnnouncementBounty {
		return "", "", errs.Unprocessable("“%s” is a %s, not a bounty", b.Title, b.Kind)
	}
	if b.State != models.AnnouncementOpen {
		return "", "", errs.Unprocessable("the bounty “%s” is closed", b.Title)
	}
	addressed := false
	for _, u := range b.Communities {
		addressed = addressed || u == group.URI
	}
	if !addressed {
		return "", "", errs.Unprocessable("the bounty “%s” was not addressed to @%s", b.Title, group.Username)
	}
	return b.ID, b.URI, nil
}

// Accepted closes the bounty co claims and records its payout, in tx (the
// transaction accepting co). A bounty closed meanwhile by another accepted
// claim pays nothing more.
func (e *Economy) Accepted(ctx context.Context, tx *store.Store, co *models.Contribution, group *models.Actor, contributors []*models.Actor, byID string) error {
	claim, err := tx.BountyClaimOf(ctx, co.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	b, err := tx.AnnouncementByID(ctx, claim.BountyID)
	if err != nil {
		return err
	}
	now := e.d.Now()
	if err := tx.CloseBounty(ctx, b.ID, now); errors.Is(err, store.ErrConflict) {
		e.d.Log.Info("bounty already closed; no payout", "bounty", b.ID, "contribution", co.ID)
		return nil
	} else if err != nil {
		return err
	}
	price, ok := b.Price()
	if !ok || len(contributors) == 0 {
		return nil
	}
	author, err := tx.ActorByID(ctx, b.AuthorID)
	if err != nil {
		return err
	}
	ledgers := []string{}
	if group.Local() {
		ledgers = append(ledgers, group.ID)
	}
	if author.Local() {
		ledgers = append(ledgers, author.ID)
	}
	n := int64(len(contributors))
	for i, c := range contributors {
		share := price.Minor / n
		if int64(i) < price.Minor%n {
			share++
		}
		if share == 0 {
			continue
		}
		for _, l := range ledgers {
			ev := &models.EconomicEvent{ID: models.NewID(), LedgerID: l, Kind: models.EntryPayout, Action: ActionTransfer,
				ProviderID: author.ID, ReceiverID: c.ID, AmountMinor: share, Currency: price.Currency, PointInTime: now,
				Fulfills: b.ID, Note: "Bounty “" + b.Title + "”, claimed by “" + co.Title + "”", RecordedByID: byID, CreatedAt: now}
			if err := tx.AppendEntry(ctx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// ConfirmBountyPaid records that a local organization paid its bounty's
// payout (its admins): closed → paid, and a payment fulfilling each payout
// commitment in every ledger here that holds one. 422 before a claim was
// accepted, 409 when confirmed already.
func (e *Economy) ConfirmBountyPaid(ctx context.Context, by *models.User, bountyID string) ([]models.EconomicEvent, error) {
	b, err := e.d.Store.AnnouncementByID(ctx, bountyID)
	if err != nil || b.Kind != models.AnnouncementBounty {
		return nil, errs.NotFound("bounty not found")
	}
	author, err := e.d.Store.ActorByID(ctx, b.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	me, _, err := e.owner(ctx, by, author.Username)
	if err != nil || !author.Local() {
		return nil, errs.Forbidden("only the admins of the bounty's organization confirm its payment")
	}
	switch b.State {
	case models.AnnouncementOpen:
		return nil, errs.Unprocessable("no claim of this bounty was accepted yet")
	case models.AnnouncementPaid:
		return nil, errs.Conflict("this bounty's payment was confirmed already")
	}
	now := e.d.Now()
	var out []models.EconomicEvent
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.Transition(ctx, &models.Announcement{}, b.ID, []string{models.AnnouncementClosed}, models.AnnouncementPaid, nil); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errs.Conflict("this bounty's payment was confirmed already")
			}
			return err
		}
		entries, err := tx.BountyEntries(ctx, b.ID)
		if err != nil {
			return err
		}
		for _, p := range entries {
			if p.Kind != models.EntryPayout || p.Corrects != nil {
				continue
			}
			ev := models.EconomicEvent{ID: models.NewID(), LedgerID: p.LedgerID, Kind: models.EntryPayment, Action: ActionTransfer,
				ProviderID: p.ProviderID, ReceiverID: p.ReceiverID, AmountMinor: p.AmountMinor, Currency: p.Currency,
				PointInTime: now, Fulfills: p.ID, Note: "Payment of the bounty “" + b.Title + "”", RecordedByID: me.ID, CreatedAt: now}
			if err := tx.AppendEntry(ctx, &ev); err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, asDomain(err)
	}
	return out, nil
}

// BountyView is a bounty's page: the announcement, the contributions that
// claim it, and its ledger entries (payouts and payments) with their totals.
type BountyView struct {
	*AnnouncementView
	Claims  []models.Contribution
	Entries []models.EconomicEvent
	// Payout and Paid sum the entries of one ledger (the organization's when
	// it is ours, else the community's), so a commitment recorded by both
	// sides counts once.
	Payout, Paid models.Money
}

// Bounty loads a bounty's page data (any announcement: Claims and Entries
// are empty for other kinds).
func (e *Economy) Bounty(ctx context.Context, id string) (*BountyView, error) {
	v, err := e.Announcement(ctx, id)
	if err != nil {
		return nil, err
	}
	bv := &BountyView{AnnouncementView: v, Payout: models.Money{Currency: v.Currency}, Paid: models.Money{Currency: v.Currency}}
	if v.Kind != models.AnnouncementBounty {
		return bv, nil
	}
	claims, err := e.d.Store.BountyClaims(ctx, v.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	for _, c := range claims {
		if co, _, err := e.d.Communities.Contribution(ctx, c.ContributionID); err == nil {
			bv.Claims = append(bv.Claims, *co)
		}
	}
	if bv.Entries, err = e.d.Store.BountyEntries(ctx, v.ID); err != nil {
		return nil, errs.Internal(err)
	}
	one := ""
	for _, ev := range bv.Entries {
		if one == "" || ev.LedgerID == v.AuthorID {
			one = ev.LedgerID
		}
	}
	for _, ev := range bv.Entries {
		if ev.LedgerID != one {
			continue
		}
		switch ev.Kind {
		case models.EntryPayout:
			bv.Payout.Minor += ev.AmountMinor
		case models.EntryPayment:
			bv.Paid.Minor += ev.AmountMinor
		}
	}
	return bv, nil
}

// ClaimedBounty is the bounty a contribution claims (nil: none).
func (e *Economy) ClaimedBounty(ctx context.Context, contributionID string) *models.Announcement {
	c, err := e.d.Store.BountyClaimOf(ctx, contributionID)
	if err != nil {
		return nil
	}
	b, err := e.d.Store.AnnouncementByID(ctx, c.BountyID)
	if err != nil {
		return nil
	}
	return b
}
