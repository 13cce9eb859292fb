package frontend

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// A community's disbursement form (issue 12): the amount and currency give
// suggested shares — the amount split by the contribution ledger's weights
// (Economy.SuggestShares) — which the member edits before opening the
// approve_disbursement proposal with them. The kind checks the edited shares
// (they sum to the amount, none negative, the currency one the account
// holds). Registered with the partners pages (registerPartners).

func (w *Web) registerDisbursement(e router) {
	e.GET("/c/:name/disbursement", w.disbursementPage)
	e.POST("/c/:name/disbursement", w.disbursementCreate)
}

type shareRow struct {
	To, Amount string
	Weight     int64
}

type disbursementData struct {
	Group      *models.Actor
	Path       string
	Form       formValues
	Shares     []shareRow
	Currencies []string
	Error      string
	Suggested  bool
}

// blankShareRows are the empty rows offered for more recipients.
const blankShareRows = 2

func (w *Web) disbursementPage(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	form := formValues{"amount": c.QueryParam("amount"), "currency": c.QueryParam("currency"), "title": "", "note": "", "days": ""}
	if form["currency"] == "" {
		form["currency"] = "EUR"
	}
	d := &disbursementData{Group: group, Form: form}
	if strings.TrimSpace(form["amount"]) != "" {
		total, shares, err := w.svc.Economy.SuggestShares(c.Request().Context(), group, form["amount"], form["currency"])
		if err != nil {
			if errs.Status(err) >= 500 {
				return err
			}
			d.Error = errs.Message(err)
		} else {
			form["amount"], d.Suggested = total.Decimal(), true
			form["title"] = "Share " + total.String() + " among the contributors"
			for _, s := range shares {
				d.Shares = append(d.Shares, shareRow{To: w.personOf(s.To).Handle, Amount: s.Amount.Decimal(), Weight: s.Weight})
			}
		}
	}
	return w.renderDisbursement(c, http.StatusOK, d)
}

func (w *Web) renderDisbursement(c echo.Context, status int, d *disbursementData) error {
	d.Path, d.Currencies = communityPath(d.Group), models.Currencies()
	for i := 0; i < blankShareRows; i++ {
		d.Shares = append(d.Shares, shareRow{})
	}
	p := w.page(c, "Disburse from "+displayName(d.Group))
	p.Data = d
	return w.render(c, status, "community_disbursement", p)
}

func (w *Web) disbursementCreate(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	form := formValues{}
	for _, k := range []string{"amount", "currency", "title", "note", "days"} {
		form[k] = c.FormValue(k)
	}
	d := &disbursementData{Group: group, Form: form}
	params, err := c.FormParams()
	if err != nil {
		return errs.BadRequest("unreadable form")
	}
	tos, amounts := params["share_to"], params["share_amount"]
	type share struct {
		To     string `json:"to"`
		Amount string `json:"amount"`
	}
	var shares []share
	for i := range tos {
		to, amount := strings.TrimSpace(tos[i]), ""
		if i < len(amounts) {
			amount = strings.TrimSpace(amounts[i])
		}
		if to == "" && amount == "" {
			continue
		}
		shares = append(shares, share{To: to, Amount: amount})
		d.Shares = append(d.Shares, shareRow{To: to, Amount: amount})
	}
	fail := func(status int, msg string) error {
		d.Error = msg
		return w.renderDisbursement(c, status, d)
	}
	if len(shares) == 0 {
		return fail(http.StatusUnprocessableEntity, "name at least one recipient and their share")
	}
	args, _ := json.Marshal(map[string]any{"amount": strings.TrimSpace(form["amount"]), "currency": form["currency"],
		"note": strings.TrimSpace(form["note"]), "shares": shares})
	in := service.ProposalInput{Kind: "approve_disbursement", Title: strings.TrimSpace(form["title"]), Args: args}
	if days := strings.TrimSpace(form["days"]); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 90 {
			return fail(http.StatusUnprocessableEntity, "the vote lasts 1 to 90 days")
		}
		in.ClosesAt = time.Now().Add(time.Duration(n) * 24 * time.Hour)
	}
	p, err := w.svc.Governance.Propose(c.Request().Context(), me, group, in)
	if err != nil {
		if s := errs.Status(err); s < 500 {
			return fail(statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/proposals/"+p.ID)
}
