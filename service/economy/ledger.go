package economy

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// ValueFlows actions of the ledger's entries.
const (
	ActionTransfer = "transfer" // receipts, disbursements and (as Commitments) pledges
)

// Totals are a ledger's sums in one currency, derived from its entries.
type Totals struct {
	Currency    string
	Pledged     int64
	Raised      int64
	Disbursed   int64
	Payouts     int64 // payout commitments (bounties)
	Paid        int64 // payments fulfilling payout commitments
	PledgeCount int64
}

// PendingPayouts is what bounty payouts promise and was not paid yet.
func (t Totals) PendingPayouts() int64 { return t.Payouts - t.Paid }

// Balance is what was received and not paid out.
func (t Totals) Balance() int64 { return t.Raised - t.Disbursed }

// Money wraps an amount of the totals' currency.
func (t Totals) Money(minor int64) models.Money {
	return models.Money{Minor: minor, Currency: t.Currency}
}

// LedgerScope selects a ledger: an owner's (LedgerID) or an appeal's.
type LedgerScope = store.LedgerScope

// Totals sums a ledger by currency (one SUM query), currencies sorted.
func (e *Economy) Totals(ctx context.Context, sc LedgerScope) ([]Totals, error) {
	t, err := e.totals(ctx, e.d.Store, sc)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return t, nil
}

func (e *Economy) totals(ctx context.Context, st Store, sc LedgerScope) ([]Totals, error) {
	rows, err := st.LedgerTotals(ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []Totals
	idx := map[string]int{}
	for _, r := range rows {
		i, ok := idx[r.Currency]
		if !ok {
			i = len(out)
			idx[r.Currency] = i
			out = append(out, Totals{Currency: r.Currency})
		}
		t := &out[i]
		switch r.Kind {
		case models.EntryPledge:
			t.Pledged, t.PledgeCount = r.Sum, r.Count
		case models.EntryReceipt:
			t.Raised = r.Sum
		case models.EntryDisbursement:
			t.Disbursed = r.Sum
		case models.EntryPayout:
			t.Payouts = r.Sum
		case models.EntryPayment:
			t.Paid = r.Sum
		}
	}
	return out, nil
}

// Entries pages a ledger's entries in the order they were recorded, with the
// total count.
func (e *Economy) Entries(ctx context.Context, sc LedgerScope, limit, offset int) ([]models.EconomicEvent, int64, error) {
	list, err := e.d.Store.ListEntries(ctx, sc, limit, offset)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	n, err := e.d.Store.CountEntries(ctx, sc)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	return list, n, nil
}

// Entry loads one ledger entry.
func (e *Economy) Entry(ctx context.Context, id string) (*models.EconomicEvent, error) {
	ev, err := e.d.Store.EntryByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("ledger entry not found")
	}
	return ev, nil
}

// ReceiptInput is a receipt of money as an admin records it.
type ReceiptInput struct {
	Ledger   string // handle of the local organization or community that received it
	AppealID string // optional: the appeal it counts towards
	PledgeID string // optional: the pledge it fulfils (its pledger is the provider)
	Amount   string
	Currency string
	Note     string
	At       time.Time // when it was received (zero: now)
}

// RecordReceipt appends a receipt: money received by a foundation or a
// community, counted as raised from then on. Only its admins (stewards) may.
func (e *Economy) RecordReceipt(ctx context.Context, by *models.User, in ReceiptInput) (*models.EconomicEvent, error) {
	me, owner, err := e.owner(ctx, by, in.Ledger)
	if err != nil {
		return nil, err
	}
	m, err := models.ParseMoney(strings.TrimSpace(in.Amount), strings.TrimSpace(in.Currency))
	if err != nil {
		return nil, errs.Unprocessable("%s", err.Error())
	}
	if len([]rune(in.Note)) > 1000 {
		return nil, errs.Unprocessable("note is longer than 1000 characters")
	}
	now := e.d.Now()
	at := in.At
	if at.IsZero() {
		at = now
	}
	if at.After(now.Add(time.Minute)) {
		return nil, errs.Unprocessable("a receipt cannot be in the future")
	}
	ev := &models.EconomicEvent{ID: models.NewID(), LedgerID: owner.ID, Kind: models.EntryReceipt, Action: ActionTransfer,
		ReceiverID: owner.ID, AmountMinor: m.Minor, Currency: m.Currency, PointInTime: at.UTC(), Note: in.Note,
		RecordedByID: me.ID, CreatedAt: now}
	var appeal *models.FundingAppeal
	if in.PledgeID != "" {
		p, err := e.d.Store.PledgeByID(ctx, in.PledgeID)
		if err != nil {
			return nil, errs.NotFound("pledge not found")
		}
		if p.State != models.PledgeAccepted {
			return nil, errs.Unprocessable("that pledge was not accepted")
		}
		if in.AppealID != "" && in.AppealID != p.AppealID {
			return nil, errs.Unprocessable("that pledge is to another appeal")
		}
		in.AppealID = p.AppealID
		ev.Fulfills, ev.ProviderID, ev.Anonymous = p.ID, p.PledgerID, p.Anonymous
	}
	if in.AppealID != "" {
		if appeal, err = e.Appeal(ctx, in.AppealID); err != nil {
			return nil, err
		}
		if appeal.AuthorID != owner.ID {
			return nil, errs.Unprocessable("that appeal is not @%s's", owner.Username)
		}
		if appeal.Currency != m.Currency {
			return nil, errs.Unprocessable("this appeal is in %s, not %s", appeal.Currency, m.Currency)
		}
		ev.AppealID = &appeal.ID
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if appeal != nil {
			// Money may still arrive after the deadline; not for a cancelled appeal.
			err := tx.HoldAppeal(ctx, appeal.ID, []string{models.AppealOpen, models.AppealFunded, models.AppealClosed}, time.Time{}, now)
			if core.LostRace(err) {
				return errs.Conflict("this appeal was cancelled")
			} else if err != nil {
				return err
			}
		}
		if err := tx.AppendEntry(ctx, ev); err != nil {
			return err
		}
		if appeal != nil {
			return e.progressChanged(ctx, tx, appeal.ID, now)
		}
		return nil
	})
	if err != nil {
		return nil, asDomain(err)
	}
	return ev, nil
}

// DisbursementInput is money paid out of a ledger, as an admin records it.
type DisbursementInput struct {
	Ledger   string // handle of the local organization that paid
	To       string // handle or URL of the receiving actor
	AppealID string // optional: the appeal whose money it is
	Amount   string
	Currency string
	Note     string
}

// RecordDisbursement appends a disbursement from an organization's ledger to a
// contributor or project. It must not exceed the balance in its currency
// (checked after taking the ledger owner's row, so two racing disbursements
// cannot both spend the same money: store.AppendDisbursement). A community's
// money leaves only by a passed "approve disbursement" proposal
// (service/governance/kind_approve_disbursement.go), never by this call.
func (e *Economy) RecordDisbursement(ctx context.Context, by *models.User, in DisbursementInput) (*models.EconomicEvent, error) {
	me, owner, err := e.owner(ctx, by, in.Ledger)
	if err != nil {
		return nil, err
	}
	if owner.Type == models.ActorGroup {
		return nil, errs.Forbidden("a community's disbursement needs a passed \"approve disbursement\" proposal")
	}
	m, err := models.ParseMoney(strings.TrimSpace(in.Amount), strings.TrimSpace(in.Currency))
	if err != nil {
		return nil, errs.Unprocessable("%s", err.Error())
	}
	to, err := e.d.Social.ResolveActor(ctx, in.To)
	if err != nil {
		return nil, err
	}
	now := e.d.Now()
	ev := &models.EconomicEvent{ID: models.NewID(), LedgerID: owner.ID, Kind: models.EntryDisbursement, Action: ActionTransfer,
		ProviderID: owner.ID, ReceiverID: to.ID, AmountMinor: m.Minor, Currency: m.Currency, PointInTime: now,
		Note: in.Note, RecordedByID: me.ID, CreatedAt: now}
	if in.AppealID != "" {
		a, err := e.Appeal(ctx, in.AppealID)
		if err != nil {
			return nil, err
		}
		if a.AuthorID != owner.ID || a.Currency != m.Currency {
			return nil, errs.Unprocessable("that appeal is not @%s's in %s", owner.Username, m.Currency)
		}
		ev.AppealID = &a.ID
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		balance, err := tx.AppendDisbursement(ctx, ev, now)
		if errors.Is(err, store.ErrOverBalance) {
			return errs.Unprocessable("%s is more than the balance of %s", m, models.Money{Minor: balance, Currency: m.Currency})
		}
		return err
	})
	if err != nil {
		return nil, asDomain(err)
	}
	return ev, nil
}

// Correct backs out a ledger entry with a correcting entry of the opposite
// amount (ValueFlows "corrects"); the right entry, if any, is then recorded
// anew. An entry is corrected once (a unique index); a correcting entry is not
// corrected. Only the ledger's admins (stewards) may. Backing out a receipt or
// a disbursement may leave a negative balance: that is what the books say.
func (e *Economy) Correct(ctx context.Context, by *models.User, entryID, note string) (*models.EconomicEvent, error) {
	orig, err := e.Entry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	owner, err := e.d.Store.ActorByID(ctx, orig.LedgerID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if _, _, err := e.owner(ctx, by, owner.Username); err != nil {
		return nil, err
	}
	if orig.Corrects != nil {
		return nil, errs.Unprocessable("a correcting entry is not corrected; record the right entry instead")
	}
	if strings.TrimSpace(note) == "" || len([]rune(note)) > 1000 {
		return nil, errs.Unprocessable("say why (at most 1000 characters)")
	}
	me, _ := e.d.Actors.ByID(ctx, by.ActorID)
	now := e.d.Now()
	ev := *orig
	ev.ID, ev.AmountMinor, ev.Corrects, ev.Note, ev.PointInTime, ev.CreatedAt = models.NewID(), -orig.AmountMinor, &orig.ID, note, now, now
	ev.RecordedByID = me.ID
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.AppendEntry(ctx, &ev); err != nil {
			if errors.Is(err, store.ErrExists) {
				return errs.Conflict("that entry is corrected already")
			}
			return err
		}
		if orig.AppealID != nil {
			return e.progressChanged(ctx, tx, *orig.AppealID, now)
		}
		return nil
	})
	if err != nil {
		return nil, asDomain(err)
	}
	return &ev, nil
}

// asDomain keeps a domain error as it is and wraps anything else as internal.
func asDomain(err error) error {
	if err == nil {
		return nil
	}
	var de *errs.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, errs.ErrConflict) {
		return errs.Conflict("changed meanwhile; try again")
	}
	return errs.Internal(err)
}

// LedgerOwner is the local organization or community whose ledger a handle
// names.
func (e *Economy) LedgerOwner(ctx context.Context, handle string) (*models.Actor, error) {
	act, err := e.d.Actors.LocalByHandle(ctx, strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if err != nil {
		return nil, err
	}
	if act.Type != models.ActorOrganization && act.Type != models.ActorGroup {
		return nil, errs.NotFound("@%s keeps no ledger", act.Username)
	}
	return act, nil
}

// EntryActors loads the providers and receivers of entries, by id.
func (e *Economy) EntryActors(ctx context.Context, list []models.EconomicEvent) (map[string]*models.Actor, error) {
	ids := make([]string, 0, 2*len(list))
	for _, x := range list {
		if x.ProviderID != "" {
			ids = append(ids, x.ProviderID)
		}
		ids = append(ids, x.ReceiverID)
	}
	m, err := e.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return m, nil
}
