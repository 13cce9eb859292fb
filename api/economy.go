package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// The economy (issue 12): organizations, funding appeals, pledges and the
// money ledgers. Amounts are decimal strings in major units with exactly the
// currency's digits ({"value": "2350.00", "currency": "EUR"}, the minor units
// beside them); never JSON numbers, so no client meets a float.

func (a *API) registerEconomy(g *echo.Group) {
	auth, viewer := a.authenticate, a.communityViewer
	g.POST("/organizations", a.createOrganization, auth)
	g.GET("/organizations/:handle", a.showOrganization, viewer)
	g.POST("/organizations/:handle/admins", a.addOrganizationAdmin, auth)
	g.PUT("/organizations/:handle/payment_links", a.setPaymentLinks, auth)
	g.GET("/appeals", a.listAppeals, viewer)
	g.POST("/appeals", a.createAppeal, auth)
	g.GET("/appeals/:id", a.showAppeal, viewer)
	g.POST("/appeals/:id/cancel", a.cancelAppeal, auth)
	g.PUT("/appeals/:id", a.editAppeal, auth)
	g.GET("/appeals/:id/pledges", a.listPledges, viewer)
	g.POST("/appeals/:id/pledges", a.createPledge, auth)
	g.GET("/appeals/:id/ledger", a.appealLedger, viewer)
	g.GET("/appeals/:id/ledger.csv", a.appealLedgerCSV, viewer)
	g.GET("/funds/:handle", a.fundsLedger, viewer)
	g.GET("/funds/:handle/ledger.csv", a.fundsLedgerCSV, viewer)
	g.POST("/funds/:handle/receipts", a.recordReceipt, auth)
	g.POST("/funds/:handle/disbursements", a.recordDisbursement, auth)
	g.POST("/ledger_entries/:id/correct", a.correctEntry, auth)
	g.POST("/partnerships", a.requestPartnership, auth)
	g.GET("/partnerships/:id", a.showPartnership, viewer)
	g.POST("/partnerships/:id/decision", a.decidePartnership, auth)
	g.POST("/partnerships/:id/end", a.endPartnership, auth)
	g.GET("/communities/:handle/partnerships", a.communityPartnerships, viewer)
	a.registerAnnouncements(g)
}

type moneyJSON struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
	Minor    int64  `json:"minor"`
	Display  string `json:"display"`
}

func moneyView(m models.Money) moneyJSON {
	return moneyJSON{Value: m.Decimal(), Currency: m.Currency, Minor: m.Minor, Display: m.String()}
}

type organizationJSON struct {
	Actor        *actorJSON     `json:"actor"`
	Kind         string         `json:"kind"`
	Website      string         `json:"website"`
	PaymentLinks []models.Field `json:"payment_links"`
	Admins       []actorRefJSON `json:"admins"`
	Ledger       string         `json:"ledger"`
}

func (a *API) organizationView(ctx context.Context, act *models.Actor, org *models.Organization) (organizationJSON, error) {
	admins, err := a.svc.Economy.Admins(ctx, act)
	if err != nil {
		return organizationJSON{}, err
	}
	out := organizationJSON{Actor: a.actorView(act), Kind: org.Kind, Website: org.Website,
		PaymentLinks: service.PaymentLinks(org.PaymentLinks), Admins: []actorRefJSON{}, Ledger: a.svc.URLs().Funds(act.Username)}
	if out.PaymentLinks == nil {
		out.PaymentLinks = []models.Field{}
	}
	for _, ad := range admins {
		out.Admins = append(out.Admins, a.actorRef(ad))
	}
	return out, nil
}

type createOrganizationRequest struct {
	Handle       string      `json:"handle"`
	Name         string      `json:"name"`
	Summary      string      `json:"summary"`
	Kind         string      `json:"kind"`
	Website      string      `json:"website"`
	PaymentLinks []fieldJSON `json:"payment_links"`
}

func fields(in []fieldJSON) []models.Field {
	out := make([]models.Field, 0, len(in))
	for _, l := range in {
		out = append(out, models.Field{Name: l.Name, Value: l.Value})
	}
	return out
}

// createOrganization is POST /api/v1/organizations: the caller founds a
// coalition partner or foundation and becomes its first admin.
func (a *API) createOrganization(c echo.Context) error {
	var req createOrganizationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	act, org, err := a.svc.Economy.CreateOrganization(ctx, caller(c), service.OrganizationInput{Handle: req.Handle,
		Name: req.Name, Summary: req.Summary, Kind: req.Kind, Website: req.Website, PaymentLinks: fields(req.PaymentLinks)})
	if err != nil {
		return err
	}
	v, err := a.organizationView(ctx, act, org)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/organizations/"+act.Username)
	return c.JSON(http.StatusCreated, v)
}

func (a *API) localOrganization(c echo.Context) (*models.Actor, *models.Organization, error) {
	h, err := pathParam(c, "handle")
	if err != nil {
		return nil, nil, err
	}
	return a.svc.Economy.Organization(c.Request().Context(), h)
}

// showOrganization is GET /api/v1/organizations/{handle}.
func (a *API) showOrganization(c echo.Context) error {
	act, org, err := a.localOrganization(c)
	if err != nil {
		return err
	}
	v, err := a.organizationView(c.Request().Context(), act, org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type addAdminRequest struct {
	Handle string `json:"handle"`
}

// addOrganizationAdmin is POST /api/v1/organizations/{handle}/admins {handle}.
func (a *API) addOrganizationAdmin(c echo.Context) error {
	var req addAdminRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	act, _, err := a.localOrganization(c)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if _, err := a.svc.Economy.AddAdmin(c.Request().Context(), me, act, req.Handle); err != nil {
		return err
	}
	return a.showOrganization(c)
}

type paymentLinksRequest struct {
	Website      string      `json:"website"`
	PaymentLinks []fieldJSON `json:"payment_links"`
}

// setPaymentLinks is PUT /api/v1/organizations/{handle}/payment_links.
func (a *API) setPaymentLinks(c echo.Context) error {
	var req paymentLinksRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	act, _, err := a.localOrganization(c)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if err := a.svc.Economy.SetPaymentLinks(c.Request().Context(), me, act, req.Website, fields(req.PaymentLinks)); err != nil {
		return err
	}
	return a.showOrganization(c)
}

type tierJSON struct {
	Name    string    `json:"name"`
	Amount  moneyJSON `json:"amount"`
	Monthly bool      `json:"monthly"`
}

type appealJSON struct {
	ID            string         `json:"id"`
	URI           string         `json:"uri"`
	URL           string         `json:"url"`
	Local         bool           `json:"local"`
	Author        actorRefJSON   `json:"author"`
	Title         string         `json:"title"`
	Purpose       string         `json:"purpose"`
	PurposeHTML   string         `json:"purpose_html"`
	Goal          moneyJSON      `json:"goal"`
	Raised        moneyJSON      `json:"raised"`
	Pledged       moneyJSON      `json:"pledged"`
	PledgeCount   int64          `json:"pledge_count"`
	Percent       int64          `json:"percent"`
	EndsAt        time.Time      `json:"ends_at"`
	State         string         `json:"state"`
	Beneficiaries []actorRefJSON `json:"beneficiaries"`
	PaymentLinks  []models.Field `json:"payment_links"`
	Tiers         []tierJSON     `json:"tiers"`
	Hashtag       string         `json:"hashtag"`
	Ledger        string         `json:"ledger"`
	CreatedAt     time.Time      `json:"created_at"`
}

func (a *API) appealView(ctx context.Context, v *service.AppealView) appealJSON {
	ap := v.Appeal
	out := appealJSON{ID: ap.ID, URI: ap.URI, URL: ap.URL, Local: ap.Local, Author: a.actorRef(v.Author), Title: ap.Title,
		Purpose: ap.Purpose, PurposeHTML: ap.PurposeHTML, Goal: moneyView(v.Goal), Raised: moneyView(v.Raised),
		Pledged: moneyView(v.Pledged), PledgeCount: v.PledgeCount, Percent: v.Percent, EndsAt: ap.EndsAt.UTC(),
		State: ap.State, Beneficiaries: []actorRefJSON{}, PaymentLinks: service.PaymentLinks(ap.PaymentLinks),
		Tiers: []tierJSON{}, Hashtag: ap.Hashtag, Ledger: ap.LedgerURI, CreatedAt: ap.CreatedAt.UTC()}
	for _, uri := range ap.Beneficiaries {
		out.Beneficiaries = append(out.Beneficiaries, a.actorRefByURI(ctx, uri))
	}
	if out.PaymentLinks == nil {
		out.PaymentLinks = []models.Field{}
	}
	for _, t := range service.AppealTiers(ap) {
		out.Tiers = append(out.Tiers, tierJSON{Name: t.Name, Amount: moneyView(models.Money{Minor: t.Minor, Currency: ap.Currency}), Monthly: t.Monthly})
	}
	return out
}

func (a *API) respondAppeal(c echo.Context, status int, id string) error {
	ctx := c.Request().Context()
	ap, err := a.svc.Economy.Appeal(ctx, id)
	if err != nil {
		return err
	}
	v, err := a.svc.Economy.View(ctx, ap)
	if err != nil {
		return err
	}
	return c.JSON(status, a.appealView(ctx, v))
}

// listAppeals is GET /api/v1/appeals?status&currency&beneficiary&limit&offset:
// every appeal known here, the soonest deadline first.
func (a *API) listAppeals(c echo.Context) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := a.svc.Economy.Appeals(ctx, service.AppealFilter{State: c.QueryParam("status"),
		Currency: c.QueryParam("currency"), Beneficiary: c.QueryParam("beneficiary")}, limit, offset)
	if err != nil {
		return err
	}
	out := make([]appealJSON, 0, len(list))
	for _, v := range list {
		out = append(out, a.appealView(ctx, v))
	}
	return c.JSON(http.StatusOK, out)
}

type tierRequest struct {
	Name    string `json:"name"`
	Amount  string `json:"amount"`
	Monthly bool   `json:"monthly"`
}

// tiers are an appeal's suggested amounts as the service takes them (opening
// and editing an appeal).
func tiers(in []tierRequest) []service.AppealTierInput {
	var out []service.AppealTierInput
	for _, t := range in {
		out = append(out, service.AppealTierInput{Name: t.Name, Amount: t.Amount, Monthly: t.Monthly})
	}
	return out
}

type createAppealRequest struct {
	As            string        `json:"as"`
	Title         string        `json:"title"`
	Purpose       string        `json:"purpose"`
	Goal          string        `json:"goal"`
	Currency      string        `json:"currency"`
	EndsAt        time.Time     `json:"ends_at"`
	Beneficiaries []string      `json:"beneficiaries"`
	PaymentLinks  []fieldJSON   `json:"payment_links"`
	Tiers         []tierRequest `json:"tiers"`
	Hashtag       string        `json:"hashtag"`
}

// createAppeal is POST /api/v1/appeals: an admin of a foundation (or a
// steward of a community) opens an appeal for it.
func (a *API) createAppeal(c echo.Context) error {
	var req createAppealRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := service.AppealInput{As: req.As, Title: req.Title, Purpose: req.Purpose, Goal: req.Goal, Currency: req.Currency,
		EndsAt: req.EndsAt, Beneficiaries: req.Beneficiaries, PaymentLinks: fields(req.PaymentLinks), Hashtag: req.Hashtag,
		Tiers: tiers(req.Tiers)}
	ap, err := a.svc.Economy.OpenAppeal(c.Request().Context(), caller(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/appeals/"+ap.ID)
	return a.respondAppeal(c, http.StatusCreated, ap.ID)
}

// showAppeal is GET /api/v1/appeals/{id}, with its totals.
func (a *API) showAppeal(c echo.Context) error {
	return a.respondAppeal(c, http.StatusOK, c.Param("id"))
}

// cancelAppeal is POST /api/v1/appeals/{id}/cancel.
func (a *API) cancelAppeal(c echo.Context) error {
	if _, err := a.svc.Economy.CancelAppeal(c.Request().Context(), caller(c), c.Param("id")); err != nil {
		return err
	}
	return a.respondAppeal(c, http.StatusOK, c.Param("id"))
}

type pledgeJSON struct {
	ID        string        `json:"id"`
	URI       string        `json:"uri"`
	Pledger   *actorRefJSON `json:"pledger"`
	Amount    moneyJSON     `json:"amount"`
	Monthly   bool          `json:"monthly"`
	Anonymous bool          `json:"anonymous"`
	Message   string        `json:"message"`
	State     string        `json:"state"`
	CreatedAt time.Time     `json:"created_at"`
}

func (a *API) pledgeView(v service.PledgeView) pledgeJSON {
	p := v.Pledge
	out := pledgeJSON{ID: p.ID, URI: p.URI, Amount: moneyView(v.Amount), Monthly: p.Monthly, Anonymous: p.Anonymous,
		Message: p.Message, State: p.State, CreatedAt: p.CreatedAt.UTC()}
	if v.Pledger != nil {
		r := a.actorRef(v.Pledger)
		out.Pledger = &r
	}
	return out
}

// listPledges is GET /api/v1/appeals/{id}/pledges: accepted pledges, newest
// first; an anonymous one without its pledger.
func (a *API) listPledges(c echo.Context) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Economy.Pledges(c.Request().Context(), c.Param("id"), limit, offset)
	if err != nil {
		return err
	}
	out := make([]pledgeJSON, 0, len(list))
	for _, v := range list {
		out = append(out, a.pledgeView(v))
	}
	return c.JSON(http.StatusOK, out)
}

type pledgeRequest struct {
	As        string `json:"as"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Monthly   bool   `json:"monthly"`
	Anonymous bool   `json:"anonymous"`
	Message   string `json:"message"`
}

// createPledge is POST /api/v1/appeals/{id}/pledges: the caller (or an
// organization they administer, "as") pledges an amount.
func (a *API) createPledge(c echo.Context) error {
	var req pledgeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := a.svc.Economy.Pledge(c.Request().Context(), caller(c), c.Param("id"), service.PledgeInput{As: req.As,
		Amount: req.Amount, Currency: req.Currency, Monthly: req.Monthly, Anonymous: req.Anonymous, Message: req.Message})
	if err != nil {
		return err
	}
	if p.Anonymous {
		return c.JSON(http.StatusCreated, a.pledgeView(service.PledgeView{Pledge: p, Amount: models.Money{Minor: p.AmountMinor, Currency: p.Currency}}))
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	pledger := me
	if req.As != "" {
		if pledger, err = a.svc.Actors.ByID(c.Request().Context(), p.PledgerID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusCreated, a.pledgeView(service.PledgeView{Pledge: p, Pledger: pledger,
		Amount: models.Money{Minor: p.AmountMinor, Currency: p.Currency}}))
}
