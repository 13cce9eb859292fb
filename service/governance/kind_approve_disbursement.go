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

// approve_disbursement (issue 12): args {"to", "amount", "currency", "note"};
// when it passes, the community pays amount (a decimal string in major units,
// models.ParseMoney) to the actor "to" out of its money ledger: a
// disbursement entry, recorded only if it does not exceed the community's
// balance in that currency at close (otherwise the proposal still passed and
// the outcome says why nothing was paid). This is the only way a community's
// money leaves its ledger. Not yet: several recipients with suggested shares
// from the contribution ledger's weights.
type approveDisbursement struct{}

func init() { register(approveDisbursement{}) }

func (approveDisbursement) Name() string { return "approve_disbursement" }

type disbursementArgs struct {
	To       string `json:"to"` // handle or URI; stored as the URI
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Note     string `json:"note,omitempty"`
}

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
	to, err := g.findActor(ctx, a.To)
	if err != nil {
		return nil, err
	}
	return mustJSON(disbursementArgs{To: to.URI, Amount: m.Decimal(), Currency: m.Currency, Note: a.Note}), nil
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
	to, err := tx.ActorByURI(ctx, a.To)
	if err != nil {
		return "", errs.Conflict("the recipient %s is no longer known", a.To)
	}
	now := g.d.Now()
	note := "Approved by the proposal " + p.URI
	if a.Note != "" {
		note = a.Note + " — " + note
	}
	e := &models.EconomicEvent{ID: models.NewID(), LedgerID: group.ID, Kind: models.EntryDisbursement, Action: "transfer",
		ProviderID: group.ID, ReceiverID: to.ID, AmountMinor: m.Minor, Currency: m.Currency, PointInTime: now,
		Note: note, RecordedByID: p.AuthorID, CreatedAt: now}
	balance, err := tx.AppendDisbursement(ctx, e, now)
	if errors.Is(err, store.ErrOverBalance) {
		return "", errs.Unprocessable("%s is more than the balance of %s: nothing was paid", m, models.Money{Minor: balance, Currency: m.Currency})
	} else if err != nil {
		return "", err
	}
	return m.String() + " paid to " + to.URI + ".", nil
}
