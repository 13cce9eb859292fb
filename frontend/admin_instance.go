package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// rulesPage is GET /about/rules: the instance's rules.
func (w *Web) rulesPage(c echo.Context) error {
	info := w.svc.Instance.Info(c.Request().Context())
	p := w.page(c, "Rules")
	p.Data = info
	return w.render(c, http.StatusOK, "rules", p)
}

type adminInstanceData struct {
	Form   *form
	Notice string
}

var instanceFields = map[string]string{"name must": "name", "description": "description", "rules": "rules", "contact": "contact", "terms": "terms"}

// adminInstance is GET /admin/instance: the instance settings form (admins).
func (w *Web) adminInstance(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	info := w.svc.Instance.Info(c.Request().Context())
	f := newForm()
	f.Values["name"], f.Values["description"], f.Values["contact"], f.Values["terms"] = info.Name, info.Description, info.Contact, info.Terms
	f.Values["rules"] = strings.Join(info.Rules, "\n")
	d := adminInstanceData{Form: f}
	if c.QueryParam("done") == "saved" {
		d.Notice = "Instance settings saved."
	}
	p := w.page(c, "Instance settings")
	p.Data = d
	return w.render(c, http.StatusOK, "admin_instance", p)
}

// adminInstanceSave is POST /admin/instance; every problem is shown at once,
// each next to its field.
func (w *Web) adminInstanceSave(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"name", "description", "rules", "contact", "terms"} {
		f.Values[k] = c.FormValue(k)
	}
	in := service.InstanceInfo{Name: f.Get("name"), Description: f.Get("description"), Contact: f.Get("contact"),
		Terms: f.Get("terms"), Rules: strings.Split(strings.ReplaceAll(f.Get("rules"), "\r\n", "\n"), "\n")}
	if _, err := w.svc.Instance.SetInfo(c.Request().Context(), u, in); err != nil {
		if errs.Status(err) == http.StatusUnprocessableEntity {
			for _, part := range strings.Split(errs.Message(err), "; ") {
				f.fail(errs.Unprocessable("%s", part), instanceFields)
			}
		} else {
			f.Error = errs.Message(err)
		}
		p := w.page(c, "Instance settings")
		p.Data = adminInstanceData{Form: f}
		return w.render(c, statusOf(err), "admin_instance", p)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/instance?done=saved")
}
