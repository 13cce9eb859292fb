package frontend

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Editing an appeal (issue 12; Economy.EditAppeal): its author's admins
// change title, purpose, payment links and tiers and may extend the deadline;
// the goal and currency only while nothing is pledged, which the form says.
// Registered with the partners pages (registerPartners), to keep the economy
// routes' file to itself.

func (w *Web) registerAppealEdit(e router) {
	e.GET("/appeals/:id/edit", w.appealEditPage)
	e.POST("/appeals/:id/edit", w.appealEditSave)
}

// appealTierRows is how many tier rows the form offers.
const appealTierRows = 4

type appealEditData struct {
	Appeal     *models.FundingAppeal
	Form       formValues
	Links      []models.Field
	Tiers      []tierRow
	Currencies []string
	GoalFixed  bool // something is pledged: goal and currency are fixed
	Error      string
}

type tierRow struct {
	Name, Amount string
	Monthly      bool
}

// editableAppeal loads the route's appeal for one who may edit it.
func (w *Web) editableAppeal(c echo.Context) (*models.User, *service.AppealView, error) {
	u, err := w.requireUser(c)
	if u == nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	a, err := w.svc.Economy.Appeal(ctx, c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	v, err := w.svc.Economy.View(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	_, me := w.viewer(c)
	if !a.Local || !w.svc.Economy.MayManage(ctx, me, v.Author) {
		return nil, nil, errs.Forbidden("only the admins of its author edit an appeal")
	}
	return u, v, nil
}

func (w *Web) appealEditPage(c echo.Context) error {
	_, v, err := w.editableAppeal(c)
	if err != nil {
		return err
	}
	a := v.Appeal
	d := &appealEditData{Appeal: a, Links: service.PaymentLinks(a.PaymentLinks), Form: formValues{"title": a.Title,
		"purpose": a.Purpose, "goal": v.Goal.Decimal(), "currency": a.Currency, "ends": a.EndsAt.UTC().Format("2006-01-02")}}
	for _, t := range service.AppealTiers(a) {
		d.Tiers = append(d.Tiers, tierRow{Name: t.Name, Amount: models.Money{Minor: t.Minor, Currency: a.Currency}.Decimal(), Monthly: t.Monthly})
	}
	return w.renderAppealEdit(c, http.StatusOK, v, d)
}

func (w *Web) renderAppealEdit(c echo.Context, status int, v *service.AppealView, d *appealEditData) error {
	d.Currencies, d.GoalFixed = models.Currencies(), v.PledgeCount > 0 || v.Pledged.Minor > 0
	for len(d.Tiers) < appealTierRows {
		d.Tiers = append(d.Tiers, tierRow{})
	}
	for len(d.Links) < 2 {
		d.Links = append(d.Links, models.Field{})
	}
	p := w.page(c, "Edit "+v.Appeal.Title)
	p.Data = d
	return w.render(c, status, "appeal_edit", p)
}

func (w *Web) appealEditSave(c echo.Context) error {
	u, v, err := w.editableAppeal(c)
	if err != nil {
		return err
	}
	form := formValues{}
	for _, k := range []string{"title", "purpose", "goal", "currency", "ends"} {
		form[k] = c.FormValue(k)
	}
	params, err := c.FormParams()
	if err != nil {
		return errs.BadRequest("unreadable form")
	}
	d := &appealEditData{Appeal: v.Appeal, Form: form}
	ed := service.AppealEdit{Title: form["title"], Purpose: form["purpose"]}
	if g := strings.TrimSpace(form["goal"]); g != v.Goal.Decimal() || form["currency"] != v.Appeal.Currency {
		ed.Goal, ed.Currency = g, form["currency"]
	}
	if day := strings.TrimSpace(form["ends"]); day != "" && day != v.Appeal.EndsAt.UTC().Format("2006-01-02") {
		t, err := time.Parse("2006-01-02", day)
		if err != nil {
			d.Error = "the deadline is a date (YYYY-MM-DD)"
			return w.renderAppealEdit(c, http.StatusUnprocessableEntity, v, d)
		}
		// the same time of day as before, on the new date
		old := v.Appeal.EndsAt.UTC()
		ed.EndsAt = time.Date(t.Year(), t.Month(), t.Day(), old.Hour(), old.Minute(), old.Second(), 0, time.UTC)
	}
	names, amounts, monthly := params["tier_name"], params["tier_amount"], map[string]bool{}
	for _, m := range params["tier_monthly"] {
		monthly[m] = true
	}
	for i := range names {
		row := tierRow{Name: strings.TrimSpace(names[i]), Monthly: monthly[itoa(int64(i))]}
		if i < len(amounts) {
			row.Amount = strings.TrimSpace(amounts[i])
		}
		d.Tiers = append(d.Tiers, row)
		ed.Tiers = append(ed.Tiers, service.AppealTierInput{Name: row.Name, Amount: row.Amount, Monthly: row.Monthly})
	}
	lnames, lurls := params["link_name"], params["link_url"]
	for i := range lnames {
		f := models.Field{Name: strings.TrimSpace(lnames[i])}
		if i < len(lurls) {
			f.Value = strings.TrimSpace(lurls[i])
		}
		d.Links = append(d.Links, f)
		ed.PaymentLinks = append(ed.PaymentLinks, f)
	}
	if _, err := w.svc.Economy.EditAppeal(c.Request().Context(), u, v.Appeal.ID, ed); err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusForbidden && s != http.StatusNotFound {
			d.Error = errs.Message(err)
			return w.renderAppealEdit(c, statusOf(err), v, d)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/appeals/"+v.Appeal.ID)
}
