package economy

import (
	"context"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// PledgeInput is a pledge as a local user makes it.
type PledgeInput struct {
	As        string // "" (themselves) or the handle of an organization they administer
	Amount    string // decimal in major units
	Currency  string // "" means the appeal's
	Monthly   bool
	Anonymous bool // the amount is shown, the name is not
	Message   string
}

// Pledge records a local actor's pledge to a local appeal: accepted at once,
// with a pledge entry in the appeal author's ledger, in one transaction that
// first takes the appeal's row (so no pledge slips past its close).
func (e *Economy) Pledge(ctx context.Context, by *models.User, appealID string, in PledgeInput) (*models.Pledge, error) {
	pledger, err := e.actingAs(ctx, by, in.As)
	if err != nil {
		return nil, err
	}
	a, err := e.Appeal(ctx, appealID)
	if err != nil {
		return nil, err
	}
	if !a.Local {
		return e.pledgeRemote(ctx, pledger, a, in)
	}
	m, err := e.checkPledge(a, in.Amount, in.Currency, in.Message)
	if err != nil {
		return nil, err
	}
	id := models.NewID()
	p := &models.Pledge{ID: id, URI: e.d.URLs.Pledge(id), AppealID: a.ID, PledgerID: pledger.ID, AmountMinor: m.Minor,
		Currency: m.Currency, Monthly: in.Monthly, Anonymous: in.Anonymous, Message: strings.TrimSpace(in.Message),
		State: models.PledgeAccepted}
	if err := e.acceptPledge(ctx, a, p, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// checkPledge checks the amount, currency and message of a pledge to a, and
// the appeal's state and deadline as last read (acceptPledge checks them again
// holding the appeal's row).
func (e *Economy) checkPledge(a *models.FundingAppeal, amount, currency, message string) (models.Money, error) {
	currency = strings.TrimSpace(currency)
	if currency == "" {
		currency = a.Currency
	}
	if _, ok := models.LookupCurrency(currency); ok && currency != a.Currency {
		return models.Money{}, errs.Unprocessable("this appeal is in %s, not %s", a.Currency, currency)
	}
	m, err := models.ParseMoney(strings.TrimSpace(amount), currency)
	if err != nil {
		return models.Money{}, errs.Unprocessable("%s", err.Error())
	}
	if len([]rune(message)) > 1000 {
		return models.Money{}, errs.Unprocessable("message is longer than 1000 characters")
	}
	if a.State != models.AppealOpen && a.State != models.AppealFunded {
		return models.Money{}, errs.Unprocessable("this appeal is %s", a.State)
	}
	if !e.d.Now().Before(a.EndsAt) {
		return models.Money{}, errs.Unprocessable("this appeal's deadline has passed")
	}
	return m, nil
}

// acceptPledge stores an accepted pledge and its ledger entry, holding the
// appeal's row; then, still in the transaction, after (if non-nil) runs (the
// Accept of a remote pledge) and the progress is updated.
func (e *Economy) acceptPledge(ctx context.Context, a *models.FundingAppeal, p *models.Pledge, after func(tx *store.Store) error) error {
	now := e.d.Now()
	p.CreatedAt, p.UpdatedAt = now, now
	err := e.d.Store.Tx(ctx, func(tx *store.Store) error {
		err := tx.HoldAppeal(ctx, a.ID, []string{models.AppealOpen, models.AppealFunded}, now, now)
		if core.LostRace(err) {
			return errs.Unprocessable("this appeal is closed to pledges")
		} else if err != nil {
			return err
		}
		if err := tx.CreatePledge(ctx, p); err != nil {
			if errors.Is(err, store.ErrExists) {
				return errs.Conflict("this pledge was received already")
			}
			return err
		}
		ev := &models.EconomicEvent{ID: models.NewID(), LedgerID: a.AuthorID, AppealID: &a.ID, Kind: models.EntryPledge,
			Action: ActionTransfer, ProviderID: p.PledgerID, ReceiverID: a.AuthorID, AmountMinor: p.AmountMinor,
			Currency: p.Currency, PointInTime: now, Fulfills: p.ID, Anonymous: p.Anonymous, CreatedAt: now}
		if err := tx.AppendEntry(ctx, ev); err != nil {
			return err
		}
		if after != nil {
			if err := after(tx); err != nil {
				return err
			}
		}
		return e.progressChanged(ctx, tx, a.ID, now)
	})
	return asDomain(err)
}

// PledgeView is a pledge as the public sees it: an anonymous pledger is nil.
type PledgeView struct {
	Pledge  *models.Pledge
	Pledger *models.Actor
	Amount  models.Money
}

// Pledges lists an appeal's accepted pledges, newest first; anonymous ones
// without their pledger.
func (e *Economy) Pledges(ctx context.Context, appealID string, limit, offset int) ([]PledgeView, error) {
	list, err := e.d.Store.ListPledges(ctx, appealID, []string{models.PledgeAccepted}, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	var ids []string
	for _, p := range list {
		if !p.Anonymous {
			ids = append(ids, p.PledgerID)
		}
	}
	actors, err := e.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]PledgeView, len(list))
	for i := range list {
		p := &list[i]
		out[i] = PledgeView{Pledge: p, Amount: models.Money{Minor: p.AmountMinor, Currency: p.Currency}}
		if !p.Anonymous {
			out[i].Pledger = actors[p.PledgerID]
		}
	}
	return out, nil
}
