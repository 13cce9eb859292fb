package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

type totalsJSON struct {
	Currency    string    `json:"currency"`
	Pledged     moneyJSON `json:"pledged"`
	Raised      moneyJSON `json:"raised"`
	Disbursed   moneyJSON `json:"disbursed"`
	Balance     moneyJSON `json:"balance"`
	PledgeCount int64     `json:"pledge_count"`
	// Bounty payouts (issue 12): committed, paid, and pending (committed − paid).
	Payouts        moneyJSON `json:"payouts"`
	Paid           moneyJSON `json:"paid"`
	PendingPayouts moneyJSON `json:"pending_payouts"`
}

type entryJSON struct {
	ID          string        `json:"id"`
	URI         string        `json:"uri"`
	Kind        string        `json:"kind"`
	Action      string        `json:"action"`
	Provider    *actorRefJSON `json:"provider"`
	Receiver    *actorRefJSON `json:"receiver"`
	Amount      moneyJSON     `json:"amount"`
	PointInTime time.Time     `json:"point_in_time"`
	AppealID    string        `json:"appeal_id"`
	Fulfills    string        `json:"fulfills"`
	Corrects    string        `json:"corrects"`
	Anonymous   bool          `json:"anonymous"`
	Note        string        `json:"note"`
	RecordedAt  time.Time     `json:"recorded_at"`
}

type ledgerJSON struct {
	Totals  []totalsJSON `json:"totals"`
	Entries []entryJSON  `json:"entries"`
	Total   int64        `json:"total_entries"`
}

func (a *API) entryViews(ctx context.Context, list []models.EconomicEvent) ([]entryJSON, error) {
	actors, err := a.svc.Economy.EntryActors(ctx, list)
	if err != nil {
		return nil, err
	}
	out := make([]entryJSON, 0, len(list))
	for _, e := range list {
		j := entryJSON{ID: e.ID, URI: a.svc.URLs().LedgerEntry(e.ID), Kind: e.Kind, Action: e.Action,
			Amount: moneyView(e.Money()), PointInTime: e.PointInTime.UTC(), Fulfills: e.Fulfills, Anonymous: e.Anonymous,
			Note: e.Note, RecordedAt: e.CreatedAt.UTC()}
		if p := actors[e.ProviderID]; p != nil && !e.Anonymous {
			r := a.actorRef(p)
			j.Provider = &r
		}
		if r := actors[e.ReceiverID]; r != nil {
			ref := a.actorRef(r)
			j.Receiver = &ref
		}
		if e.AppealID != nil {
			j.AppealID = *e.AppealID
		}
		if e.Corrects != nil {
			j.Corrects = *e.Corrects
		}
		out = append(out, j)
	}
	return out, nil
}

func (a *API) respondLedger(c echo.Context, sc service.LedgerScope) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	totals, err := a.svc.Economy.Totals(ctx, sc)
	if err != nil {
		return err
	}
	list, n, err := a.svc.Economy.Entries(ctx, sc, limit, offset)
	if err != nil {
		return err
	}
	entries, err := a.entryViews(ctx, list)
	if err != nil {
		return err
	}
	out := ledgerJSON{Totals: []totalsJSON{}, Entries: entries, Total: n}
	for _, t := range totals {
		out.Totals = append(out.Totals, totalsJSON{Currency: t.Currency, Pledged: moneyView(t.Money(t.Pledged)),
			Raised: moneyView(t.Money(t.Raised)), Disbursed: moneyView(t.Money(t.Disbursed)),
			Balance: moneyView(t.Money(t.Balance())), PledgeCount: t.PledgeCount, Payouts: moneyView(t.Money(t.Payouts)),
			Paid: moneyView(t.Money(t.Paid)), PendingPayouts: moneyView(t.Money(t.PendingPayouts()))})
	}
	return c.JSON(http.StatusOK, out)
}

const economyCSVPage = 500

func (a *API) respondLedgerCSV(c echo.Context, sc service.LedgerScope, name string) error {
	ctx := c.Request().Context()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "kind", "action", "provider", "receiver", "amount", "currency", "point_in_time",
		"appeal", "fulfills", "corrects", "note", "recorded_at"})
	who := func(r *actorRefJSON) string {
		if r == nil {
			return ""
		}
		if r.Handle != "" {
			return csvCell(r.Handle)
		}
		return csvCell(r.URI)
	}
	for offset := 0; ; offset += economyCSVPage {
		list, _, err := a.svc.Economy.Entries(ctx, sc, economyCSVPage, offset)
		if err != nil {
			return err
		}
		rows, err := a.entryViews(ctx, list)
		if err != nil {
			return err
		}
		for _, r := range rows {
			// the amount is written as is: a correcting entry's "-" is a sign, not a formula
			_ = w.Write([]string{r.ID, r.Kind, r.Action, who(r.Provider), who(r.Receiver), r.Amount.Value, r.Amount.Currency,
				r.PointInTime.Format(time.RFC3339), r.AppealID, r.Fulfills, r.Corrects, csvCell(r.Note), r.RecordedAt.Format(time.RFC3339)})
		}
		if len(list) < economyCSVPage {
			break
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-ledger.csv"`, name))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (a *API) ledgerOwner(c echo.Context) (*models.Actor, error) {
	h, err := pathParam(c, "handle")
	if err != nil {
		return nil, err
	}
	return a.svc.Economy.LedgerOwner(c.Request().Context(), h)
}

// fundsLedger is GET /api/v1/funds/{handle}: an organization's or a
// community's money ledger, its totals by currency and a page of entries.
func (a *API) fundsLedger(c echo.Context) error {
	owner, err := a.ledgerOwner(c)
	if err != nil {
		return err
	}
	return a.respondLedger(c, service.LedgerScope{LedgerID: owner.ID})
}

// fundsLedgerCSV is GET /api/v1/funds/{handle}/ledger.csv.
func (a *API) fundsLedgerCSV(c echo.Context) error {
	owner, err := a.ledgerOwner(c)
	if err != nil {
		return err
	}
	return a.respondLedgerCSV(c, service.LedgerScope{LedgerID: owner.ID}, owner.Username)
}

// appealLedger is GET /api/v1/appeals/{id}/ledger.
func (a *API) appealLedger(c echo.Context) error {
	ap, err := a.svc.Economy.Appeal(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return a.respondLedger(c, service.LedgerScope{AppealID: ap.ID})
}

// appealLedgerCSV is GET /api/v1/appeals/{id}/ledger.csv.
func (a *API) appealLedgerCSV(c echo.Context) error {
	ap, err := a.svc.Economy.Appeal(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return a.respondLedgerCSV(c, service.LedgerScope{AppealID: ap.ID}, "appeal-"+ap.ID)
}

type receiptRequest struct {
	AppealID string    `json:"appeal_id"`
	PledgeID string    `json:"pledge_id"`
	Amount   string    `json:"amount"`
	Currency string    `json:"currency"`
	Note     string    `json:"note"`
	At       time.Time `json:"at"`
}

func (a *API) respondEntry(c echo.Context, e *models.EconomicEvent) error {
	out, err := a.entryViews(c.Request().Context(), []models.EconomicEvent{*e})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out[0])
}

// recordReceipt is POST /api/v1/funds/{handle}/receipts: an admin records
// money received (counted as raised from then on).
func (a *API) recordReceipt(c echo.Context) error {
	var req receiptRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	h, err := pathParam(c, "handle")
	if err != nil {
		return err
	}
	e, err := a.svc.Economy.RecordReceipt(c.Request().Context(), caller(c), service.ReceiptInput{Ledger: h,
		AppealID: req.AppealID, PledgeID: req.PledgeID, Amount: req.Amount, Currency: req.Currency, Note: req.Note, At: req.At})
	if err != nil {
		return err
	}
	return a.respondEntry(c, e)
}

type disbursementRequest struct {
	To       string `json:"to"`
	AppealID string `json:"appeal_id"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Note     string `json:"note"`
}

// recordDisbursement is POST /api/v1/funds/{handle}/disbursements.
func (a *API) recordDisbursement(c echo.Context) error {
	var req disbursementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	h, err := pathParam(c, "handle")
	if err != nil {
		return err
	}
	e, err := a.svc.Economy.RecordDisbursement(c.Request().Context(), caller(c), service.DisbursementInput{Ledger: h,
		To: req.To, AppealID: req.AppealID, Amount: req.Amount, Currency: req.Currency, Note: req.Note})
	if err != nil {
		return err
	}
	return a.respondEntry(c, e)
}

type correctRequest struct {
	Note string `json:"note"`
}

// correctEntry is POST /api/v1/ledger_entries/{id}/correct {note}: backs the
// entry out with a correcting entry.
func (a *API) correctEntry(c echo.Context) error {
	var req correctRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := a.svc.Economy.Correct(c.Request().Context(), caller(c), c.Param("id"), req.Note)
	if err != nil {
		return err
	}
	return a.respondEntry(c, e)
}
