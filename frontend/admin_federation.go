package frontend

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

var deliveryStates = service.DeliveryStates

type stateCount struct {
	State string
	N     int64
}

type deliveriesData struct {
	Counts     []stateCount
	Total      int64
	States     []string
	State      string
	Host       string
	Deliveries []service.DeliveryInfo
}

// adminDeliveries is /admin/deliveries: delivery jobs by state and the latest ones,
// filtered by ?state= and ?host=.
func (w *Web) adminDeliveries(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	ctx := c.Request().Context()
	d := deliveriesData{States: deliveryStates, State: c.QueryParam("state"), Host: strings.TrimSpace(c.QueryParam("host"))}
	if d.State != "" && !contains(deliveryStates, d.State) {
		return errs.Unprocessable("unknown delivery state %q", d.State)
	}
	counts, err := w.svc.Admin.DeliveryCounts(ctx, u)
	if err != nil {
		return err
	}
	for s, n := range counts {
		d.Counts = append(d.Counts, stateCount{s, n})
		d.Total += n
	}
	sort.Slice(d.Counts, func(i, j int) bool { return d.Counts[i].State < d.Counts[j].State })
	if d.Deliveries, err = w.svc.Admin.Deliveries(ctx, u, service.DeliveryFilter{State: d.State, Host: d.Host, Limit: 100}); err != nil {
		return err
	}
	p := w.page(c, "Deliveries")
	p.Data = d
	return w.render(c, http.StatusOK, "admin_deliveries", p)
}

type domainsData struct {
	Entries   []service.DomainEntry
	Allowlist bool
	IsAdmin   bool
	Form      *form
	Notice    string
}

// adminDomains is /admin/domains: the configuration's and the admins' domain
// policies. Moderators read; admins add and remove.
func (w *Web) adminDomains(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	notice := map[string]string{"block": "Domain blocked.", "allow": "Domain allowed.", "remove": "Entry removed."}[c.QueryParam("done")]
	return w.renderDomains(c, http.StatusOK, u, newForm(), notice)
}

func (w *Web) renderDomains(c echo.Context, status int, u *models.User, f *form, notice string) error {
	entries, err := w.svc.Admin.DomainPolicies(c.Request().Context(), u)
	if err != nil {
		return err
	}
	if f.Get("policy") == "" {
		f.Values["policy"] = service.PolicyBlock
	}
	p := w.page(c, "Domains")
	p.Data = domainsData{Entries: entries, Allowlist: w.svc.Admin.AllowlistMode(), IsAdmin: u.Role == models.RoleAdmin, Form: f, Notice: notice}
	return w.render(c, status, "admin_domains", p)
}

// domainAdmin checks an admin domain-policy change: staff, admin role.
func (w *Web) domainAdmin(c echo.Context) (*models.User, error) {
	u, err := w.staff(c)
	if u == nil {
		return nil, err
	}
	if u.Role != models.RoleAdmin {
		return nil, errs.Forbidden("only admins may change domain policies")
	}
	return u, nil
}

func (w *Web) adminDomainAdd(c echo.Context) error {
	u, err := w.domainAdmin(c)
	if u == nil || err != nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"domain", "reason", "policy"} {
		f.Values[k] = strings.TrimSpace(c.FormValue(k))
	}
	if f.Get("policy") == "" {
		err = errs.Unprocessable("policy must be block or allow")
	} else {
		_, err = w.svc.Admin.PutDomainPolicy(c.Request().Context(), u, f.Get("domain"), f.Get("policy"), f.Get("reason"))
	}
	if err != nil {
		if errs.Status(err) >= 500 {
			return err
		}
		f.fail(err, map[string]string{"domain": "domain", "policy": "policy"})
		return w.renderDomains(c, statusOf(err), u, f, "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/domains?done="+f.Get("policy"))
}

func (w *Web) adminDomainRemove(c echo.Context) error {
	u, err := w.domainAdmin(c)
	if u == nil || err != nil {
		return err
	}
	if err := w.svc.Admin.RemoveDomainPolicy(c.Request().Context(), u, c.FormValue("domain")); err != nil {
		if errs.Status(err) >= 500 {
			return err
		}
		f := newForm()
		f.Error = errs.Message(err)
		return w.renderDomains(c, statusOf(err), u, f, "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/domains?done=remove")
}

type reportsData struct {
	Reports  []reportRow
	Page     int
	NextPage int
}

type reportRow struct {
	service.ReportView
	ReporterView *actorView
	TargetView   *actorView
}

const reportsPageSize = 50

// adminReports is /admin/reports: reports (Flags) received, newest first.
func (w *Web) adminReports(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	pg = max(pg, 0)
	list, err := w.svc.Social.Reports(c.Request().Context(), u, reportsPageSize+1, pg*reportsPageSize)
	if err != nil {
		return err
	}
	d := reportsData{Page: pg}
	if len(list) > reportsPageSize {
		list, d.NextPage = list[:reportsPageSize], pg+1
	}
	for _, r := range list {
		d.Reports = append(d.Reports, reportRow{ReportView: r, ReporterView: w.actorView(r.Reporter), TargetView: w.actorView(r.Target)})
	}
	p := w.page(c, "Reports")
	p.Data = d
	return w.render(c, http.StatusOK, "admin_reports", p)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
