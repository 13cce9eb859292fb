package frontend

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Economy pages (issue 12), without JavaScript: the appeals directory (with
// its RSS and Atom feeds), an appeal's page (progress bar as <progress>, tiers,
// pledge form, pledge list, the author's receipt form), the money ledgers
// (totals, entries, CSV) and the forms to found an organization and open an
// appeal. The appeal and ledger URLs are also ActivityPub ids: federation
// negotiates and calls AppealPage and FundsPage for browsers.

func (w *Web) registerEconomy(e router) {
	e.GET("/appeals", w.appealsPage)
	e.GET("/appeals/feed.rss", feedRSS(w.appealsFeed))
	e.GET("/appeals/feed.atom", feedAtom(w.appealsFeed))
	e.GET("/appeals/new", w.appealNewPage)
	e.POST("/appeals", w.appealCreate)
	e.POST("/appeals/:id/pledge", w.appealPledge)
	e.POST("/appeals/:id/receipt", w.appealReceipt)
	e.POST("/appeals/:id/cancel", w.appealCancel)
	e.GET("/organizations/new", w.organizationNewPage)
	e.POST("/organizations", w.organizationCreate)
}

type appealsData struct {
	Appeals     []*service.AppealView
	Status      string
	Currency    string
	Beneficiary string
	Currencies  []string
	Error       string
}

func (w *Web) appealsPage(c echo.Context) error {
	d := appealsData{Status: c.QueryParam("status"), Currency: c.QueryParam("currency"),
		Beneficiary: c.QueryParam("beneficiary"), Currencies: models.Currencies()}
	list, err := w.svc.Economy.Appeals(c.Request().Context(), service.AppealFilter{State: d.Status, Currency: d.Currency,
		Beneficiary: d.Beneficiary}, 100, 0)
	status := http.StatusOK
	if err != nil {
		if s := errs.Status(err); s >= 500 {
			return err
		}
		d.Error, status = errs.Message(err), statusOf(err)
	}
	d.Appeals = list
	p := w.page(c, "Funding appeals")
	p.Data = d
	return w.render(c, status, "appeals", p)
}

// appealsFeed lists the open and funded appeals, soonest deadline first.
func (w *Web) appealsFeed(c echo.Context) (*feeds.Feed, error) {
	ctx := c.Request().Context()
	base := w.cfg.Server.PublicURL
	f := &feeds.Feed{Title: "Funding appeals on " + w.cfg.Instance.Name, Link: &feeds.Link{Href: base + "/appeals"},
		Description: "Funding appeals of foundations and communities known to " + w.host, Id: base + "/appeals"}
	for _, st := range []string{models.AppealOpen, models.AppealFunded} {
		list, err := w.svc.Economy.Appeals(ctx, service.AppealFilter{State: st}, feedItems, 0)
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			a := v.Appeal
			f.Items = append(f.Items, &feeds.Item{Title: a.Title, Id: a.URI, Link: &feeds.Link{Href: base + "/appeals/" + a.ID},
				Author:      &feeds.Author{Name: displayName(v.Author)},
				Description: a.PurposeHTML + "<p>" + templateEscape(progressText(v)) + "</p>", Created: a.CreatedAt})
		}
	}
	if len(f.Items) > feedItems {
		f.Items = f.Items[:feedItems]
	}
	for _, it := range f.Items {
		if it.Created.After(f.Updated) {
			f.Updated = it.Created
		}
	}
	return f, nil
}

func progressText(v *service.AppealView) string {
	return v.Raised.String() + " of " + v.Goal.String() + " raised (" + itoa(v.Percent) + " %), " + v.Pledged.String() + " pledged"
}

type appealData struct {
	View      *service.AppealView
	Tiers     []tierView
	Links     []models.Field
	Pledges   []service.PledgeView
	DaysLeft  int64
	Open      bool // pledges are taken
	CanPledge bool // signed in and open
	Manage    bool // an admin (steward) of the author
	AsOptions []*models.Actor
	Error     string
	Done      string
}

type tierView struct {
	Name    string
	Amount  models.Money
	Monthly bool
}

// AppealPage is an appeal's page for browsers (/appeals/:id).
func (w *Web) AppealPage(c echo.Context) error { return w.renderAppeal(c, http.StatusOK, "") }

func (w *Web) renderAppeal(c echo.Context, status int, msg string) error {
	ctx := c.Request().Context()
	a, err := w.svc.Economy.Appeal(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	v, err := w.svc.Economy.View(ctx, a)
	if err != nil {
		return err
	}
	d := appealData{View: v, Links: service.PaymentLinks(a.PaymentLinks), Error: msg, Done: c.QueryParam("done")}
	for _, t := range service.AppealTiers(a) {
		d.Tiers = append(d.Tiers, tierView{Name: t.Name, Amount: models.Money{Minor: t.Minor, Currency: a.Currency}, Monthly: t.Monthly})
	}
	if a.Local {
		if d.Pledges, err = w.svc.Economy.Pledges(ctx, a.ID, 200, 0); err != nil {
			return err
		}
	}
	now := time.Now()
	d.Open = (a.State == models.AppealOpen || a.State == models.AppealFunded) && now.Before(a.EndsAt)
	if d.Open {
		left := a.EndsAt.Sub(now)
		d.DaysLeft = int64((left + 24*time.Hour - 1) / (24 * time.Hour))
	}
	if _, me := w.viewer(c); me != nil {
		d.CanPledge = d.Open && a.Local
		d.Manage = w.svc.Economy.MayManage(ctx, me, v.Author)
	}
	p := w.page(c, a.Title)
	p.Data = d
	return w.render(c, status, "appeal", p)
}

func (w *Web) appealPledge(c echo.Context) error {
	u, _ := w.viewer(c)
	if u == nil {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape("/appeals/"+c.Param("id")))
	}
	_, err := w.svc.Economy.Pledge(c.Request().Context(), u, c.Param("id"), service.PledgeInput{As: c.FormValue("as"),
		Amount: strings.TrimSpace(c.FormValue("amount")), Monthly: c.FormValue("monthly") == "on",
		Anonymous: c.FormValue("anonymous") == "on", Message: c.FormValue("message")})
	if err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderAppeal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/appeals/"+c.Param("id")+"?done=pledged#progress")
}

func (w *Web) appealReceipt(c echo.Context) error {
	u, _ := w.viewer(c)
	if u == nil {
		return errs.Unauthorized("log in first")
	}
	ctx := c.Request().Context()
	a, err := w.svc.Economy.Appeal(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	author, err := w.svc.Actors.ByID(ctx, a.AuthorID)
	if err != nil {
		return err
	}
	_, err = w.svc.Economy.RecordReceipt(ctx, u, service.ReceiptInput{Ledger: author.Username, AppealID: a.ID,
		PledgeID: c.FormValue("pledge"), Amount: strings.TrimSpace(c.FormValue("amount")), Currency: a.Currency, Note: c.FormValue("note")})
	if err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderAppeal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/appeals/"+a.ID+"?done=received#progress")
}

func (w *Web) appealCancel(c echo.Context) error {
	u, _ := w.viewer(c)
	if u == nil {
		return errs.Unauthorized("log in first")
	}
	if _, err := w.svc.Economy.CancelAppeal(c.Request().Context(), u, c.Param("id")); err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderAppeal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/appeals/"+c.Param("id"))
}

type fundsData struct {
	Title   string
	Back    string
	CSV     string
	Totals  []service.LedgerTotals
	Entries []entryView
	Total   int64
}

type entryView struct {
	Entry    models.EconomicEvent
	Amount   models.Money
	Provider *models.Actor
	Receiver *models.Actor
}

// FundsPage is a money ledger's page for browsers: an organization's or a
// community's (/users/:name/funds) or an appeal's (/appeals/:id/ledger).
func (w *Web) FundsPage(c echo.Context) error {
	ctx := c.Request().Context()
	var sc service.LedgerScope
	d := fundsData{}
	if id := c.Param("id"); id != "" {
		a, err := w.svc.Economy.Appeal(ctx, id)
		if err != nil {
			return err
		}
		sc = service.LedgerScope{AppealID: a.ID}
		d.Title, d.Back, d.CSV = "Ledger of “"+a.Title+"”", "/appeals/"+a.ID, "/api/v1/appeals/"+a.ID+"/ledger.csv"
	} else {
		owner, err := w.svc.Economy.LedgerOwner(ctx, c.Param("name"))
		if err != nil {
			return err
		}
		sc = service.LedgerScope{LedgerID: owner.ID}
		d.Title, d.Back, d.CSV = "Money ledger of "+displayName(owner), "/@"+owner.Username, "/api/v1/funds/"+owner.Username+"/ledger.csv"
	}
	var err error
	if d.Totals, err = w.svc.Economy.Totals(ctx, sc); err != nil {
		return err
	}
	list, n, err := w.svc.Economy.Entries(ctx, sc, 500, 0)
	if err != nil {
		return err
	}
	actors, err := w.svc.Economy.EntryActors(ctx, list)
	if err != nil {
		return err
	}
	d.Total = n
	for _, e := range list {
		ev := entryView{Entry: e, Amount: e.Money(), Receiver: actors[e.ReceiverID]}
		if !e.Anonymous {
			ev.Provider = actors[e.ProviderID]
		}
		d.Entries = append(d.Entries, ev)
	}
	p := w.page(c, d.Title)
	p.Data = d
	return w.render(c, http.StatusOK, "funds", p)
}

type appealFormData struct {
	As         []*models.Actor
	Form       formValues
	Currencies []string
	Error      string
}

func (w *Web) appealNewPage(c echo.Context) error {
	return w.renderAppealForm(c, http.StatusOK, formValues{"as": c.QueryParam("as"), "currency": "EUR", "days": "30"}, "")
}

func (w *Web) renderAppealForm(c echo.Context, status int, form formValues, msg string) error {
	if u, _ := w.viewer(c); u == nil {
		return c.Redirect(http.StatusSeeOther, "/login?next=/appeals/new")
	}
	p := w.page(c, "Open a funding appeal")
	p.Data = appealFormData{Form: form, Currencies: models.Currencies(), Error: msg}
	return w.render(c, status, "appeal_new", p)
}

func (w *Web) appealCreate(c echo.Context) error {
	u, _ := w.viewer(c)
	if u == nil {
		return errs.Unauthorized("log in first")
	}
	form := formValues{}
	for _, k := range []string{"as", "title", "purpose", "goal", "currency", "days", "beneficiaries", "hashtag"} {
		form[k] = c.FormValue(k)
	}
	days := atoiOr(form["days"], 0)
	if days < 1 || days > 365 {
		return w.renderAppealForm(c, http.StatusUnprocessableEntity, form, "the appeal runs 1 to 365 days")
	}
	var bens []string
	for _, b := range strings.FieldsFunc(form["beneficiaries"], func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		bens = append(bens, b)
	}
	a, err := w.svc.Economy.OpenAppeal(c.Request().Context(), u, service.AppealInput{As: form["as"], Title: form["title"],
		Purpose: form["purpose"], Goal: strings.TrimSpace(form["goal"]), Currency: form["currency"],
		EndsAt: time.Now().Add(time.Duration(days) * 24 * time.Hour), Beneficiaries: bens, Hashtag: form["hashtag"]})
	if err != nil {
		if s := errs.Status(err); s < 500 {
			return w.renderAppealForm(c, statusOf(err), form, errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/appeals/"+a.ID)
}

func (w *Web) organizationNewPage(c echo.Context) error {
	return w.renderOrganizationForm(c, http.StatusOK, formValues{"kind": models.OrgFoundation}, "")
}

func (w *Web) renderOrganizationForm(c echo.Context, status int, form formValues, msg string) error {
	if u, _ := w.viewer(c); u == nil {
		return c.Redirect(http.StatusSeeOther, "/login?next=/organizations/new")
	}
	p := w.page(c, "Found an organization")
	p.Data = appealFormData{Form: form, Error: msg}
	return w.render(c, status, "organization_new", p)
}

func (w *Web) organizationCreate(c echo.Context) error {
	u, _ := w.viewer(c)
	if u == nil {
		return errs.Unauthorized("log in first")
	}
	form := formValues{}
	for _, k := range []string{"handle", "name", "summary", "kind", "website", "pay_name", "pay_url"} {
		form[k] = c.FormValue(k)
	}
	var links []models.Field
	if form["pay_name"] != "" || form["pay_url"] != "" {
		links = append(links, models.Field{Name: form["pay_name"], Value: form["pay_url"]})
	}
	act, _, err := w.svc.Economy.CreateOrganization(c.Request().Context(), u, service.OrganizationInput{Handle: form["handle"],
		Name: form["name"], Summary: form["summary"], Kind: form["kind"], Website: form["website"], PaymentLinks: links})
	if err != nil {
		if s := errs.Status(err); s < 500 {
			return w.renderOrganizationForm(c, statusOf(err), form, errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/@"+act.Username)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

func templateEscape(s string) string { return html.EscapeString(s) }
