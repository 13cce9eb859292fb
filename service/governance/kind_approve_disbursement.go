package governance

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// approve_disbursement (issue 12): args {"to", "amount", "currency", "note"}
// or, for several recipients, {"shares": [{"to", "amount"}], "amount",
// "currency", "note"}; when it passes, the community pays amount (a decimal
// string in major units, models.ParseMoney) out of its money ledger: one
// disbursement entry per recipient, recorded only if their sum does not
// exceed the community's balance in that currency at close, all or nothing
// (otherwise the proposal still passed and the outcome says why nothing was
// paid). This is the only way a community's money leaves its ledger.
//
// Shares are usually the economy's suggestion (Economy.SuggestShares: the
// amount split by the contribution ledger's weights, largest remainder),
// edited by the proposer before the vote opens; they are checked here: each
// positive and strict in the currency, recipients distinct, and their sum
// exactly the amount. The currency must be one the community's account holds.
type approveDisbursement struct{}

func init() { register(approveDisbursement{}) }

func (approveDisbursement) Name() string { return "approve_disbursement" }

type disbursementArgs struct {
	To       string      `json:"to,omitempty"` // handle or URI; stored as the URI
	Amount   string      `json:"amount"`
	Currency string      `json:"currency"`
	Note     string      `json:"note,omitempty"`
	Shares   []shareArgs `json:"shares,omitempty"`
}

type shareArgs struct {
	To     string `json:"to"`
	Amount string `json:"amount"`
}

// maxShares bounds the recipients of one disbursement.
const maxShares = 200

func (approveDisbursement) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	var a disbursementArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	m, err := models.ParseMoney(strings.TrimSpace(a.Amount), strings.TrimSpace(a.Currency))
	if err != nil {
		return nil, errs.Unprocessable("amount: %s", err.Error())
	}
	if len([]rune(a.Note)) > 1000 {
		return nil, errs.Unprocessable("note is longer than 1000 characters")
	}
	if err := holdsCurrency(ctx, g, group, m.Currency); err != nil {
		return nil, err
	}
	out := disbursementArgs{Amount: m.Decimal(), Currency: m.Currency, Note: a.Note}
	if len(a.Shares) == 0 {
		to, err := g.findActor(ctx, a.To)
		if err != nil {
			return nil, err
		}
		out.To = to.URI
		return mustJSON(out), nil
	}
	if strings.TrimSpace(a.To) != "" {
		return nil, errs.Unprocessable("give either one recipient (to) or shares, not both")
	}
	if len(a.Shares) > maxShares {
		return nil, errs.Unprocessable("at most %d shares", maxShares)
	}
	var sum int64
	seen := map[string]bool{}
	for _, s := range a.Shares {
		sm, err := models.ParseMoney(strings.TrimSpace(s.Amount), m.Currency)
		if err != nil {
			return nil, errs.Unprocessable("the share of %s: %s", s.To, err.Error())
		}
		to, err := g.findActor(ctx, s.To)
		if err != nil {
			return nil, err
		}
		if seen[to.URI] {
			return nil, errs.Unprocessable("%s has two shares", to.URI)
		}
		seen[to.URI] = true
		sum += sm.Minor
		out.Shares = append(out.Shares, shareArgs{To: to.URI, Amount: sm.Decimal()})
	}
	if sum != m.Minor {
		return nil, errs.Unprocessable("the shares add up to %s, not to the amount %s", models.Money{Minor: sum, Currency: m.Currency}, m)
	}
	return mustJSON(out), nil
}

// holdsCurrency: a disbursement is in a currency the community's account
// has received.
func holdsCurrency(ctx context.Context, g *Governance, group *models.Actor, currency string) error {
	tot, err := g.d.Store.LedgerTotals(ctx, store.LedgerScope{LedgerID: group.ID})
	if err != nil {
		return errs.Internal(err)
	}
	for _, t := range tot {
		if t.Currency == currency && t.Kind == models.EntryReceipt {
			return nil
		}
	}
	return errs.Unprocessable("the account of @%s holds no %s", group.Username, currency)
}

func (approveDisbursement) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	var a disbursementArgs
	if err := json.Unmarshal([]byte(p.Args), &a); err != nil {
		return "", err
	}
	m, err := models.ParseMoney(a.Amount, a.Currency)
	if err != nil {
		return "", errs.Unprocessable("amount: %s", err.Error())
	}
	shares := a.Shares
	if len(shares) == 0 {
		shares = []shareArgs{{To: a.To, Amount: a.Amount}}
	}
	now := g.d.Now()
	note := "Approved by the proposal " + p.URI
	if a.Note != "" {
		note = a.Note + " — " + note
	}
	var (
		list  []*models.EconomicEvent
		paid  []string
		total int64
	)
	for _, s := range shares {
		sm, err := models.ParseMoney(s.Amount, a.Currency)
		if err != nil {
			return "", errs.Unprocessable("amount: %s", err.Error())
		}
		to, err := tx.ActorByURI(ctx, s.To)
		if err != nil {
			return "", errs.Conflict("the recipient %s is no longer known", s.To)
		}
		total += sm.Minor
		list = append(list, &models.EconomicEvent{ID: models.NewID(), LedgerID: group.ID, Kind: models.EntryDisbursement, Action: "transfer",
			ProviderID: group.ID, ReceiverID: to.ID, AmountMinor: sm.Minor, Currency: sm.Currency, PointInTime: now,
			Note: note, RecordedByID: p.AuthorID, CreatedAt: now})
		paid = append(paid, sm.String()+" to "+to.URI)
	}
	if total != m.Minor {
		return "", errs.Conflict("the shares no longer add up to %s", m)
	}
	balance, err := tx.AppendDisbursements(ctx, list, now)
	if errors.Is(err, store.ErrOverBalance) {
		return "", errs.Unprocessable("%s is more than the balance of %s: nothing was paid", m, models.Money{Minor: balance, Currency: m.Currency})
	} else if err != nil {
		return "", err
	}
	if len(paid) == 1 {
		return m.String() + " paid to " + shares[0].To + ".", nil
	}
	return m.String() + " paid: " + strings.Join(paid, ", ") + ".", nil
}
