package frontend

import (
	"html/template"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

var actionLabels = map[string]string{
	models.ReportActionNone:          "No action",
	models.ReportActionRemoveContent: "Remove the reported posts",
	models.ReportActionSuspend:       "Suspend the account",
	models.ReportActionBlockDomain:   "Block the account's server (admins)",
}

func init() {
	funcs["actionLabel"] = func(a string) string {
		if l, ok := actionLabels[a]; ok {
			return l
		}
		return a
	}
	funcs["html"] = func(s string) template.HTML { return template.HTML(s) } // sanitised by the service
}

type reportFormData struct {
	Form              *form
	Target            *actorView
	Note              *noteView
	AccountID, NoteID string
	Done              bool
}

// reportForm is GET /report?note=ID or ?account=ID: what is reported and a
// comment for the moderators.
func (w *Web) reportForm(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	d := reportFormData{Form: newForm(), AccountID: c.QueryParam("account"), NoteID: c.QueryParam("note")}
	if err := w.fillReportTarget(c, u, &d); err != nil {
		return err
	}
	p := w.page(c, "Report")
	p.Data = d
	return w.render(c, http.StatusOK, "report", p)
}

func (w *Web) fillReportTarget(c echo.Context, u *models.User, d *reportFormData) error {
	ctx := c.Request().Context()
	if d.NoteID != "" {
		n, author, err := w.svc.Moderation.NoteToReport(ctx, u, d.NoteID)
		if err != nil {
			return err
		}
		d.Target = w.actorView(author)
		d.Note = &noteView{NoteID: n.ID, Content: template.HTML(n.Content)}
		return nil
	}
	if d.AccountID != "" {
		a, err := w.svc.Actors.ByID(ctx, d.AccountID)
		if err != nil {
			return err
		}
		d.Target = w.actorView(a)
		return nil
	}
	return errs.BadRequest("say which account or post you report")
}

// report is POST /report.
func (w *Web) report(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	d := reportFormData{Form: newForm(), AccountID: c.FormValue("account"), NoteID: c.FormValue("note")}
	d.Form.Values["comment"] = c.FormValue("comment")
	d.Form.Values["forward"] = c.FormValue("forward")
	in := service.ReportInput{AccountID: d.AccountID, Comment: d.Form.Get("comment"), Forward: c.FormValue("forward") != ""}
	if d.NoteID != "" {
		in.NoteIDs = []string{d.NoteID}
	}
	p := w.page(c, "Report")
	if _, err := w.svc.Moderation.File(c.Request().Context(), u, in); err != nil {
		if ferr := w.fillReportTarget(c, u, &d); ferr != nil {
			return err
		}
		d.Form.fail(err, map[string]string{"comment": "comment"})
		p.Data = d
		return w.render(c, statusOf(err), "report", p)
	}
	p.Data = reportFormData{Done: true}
	return w.render(c, http.StatusCreated, "report", p)
}

type adminReportData struct {
	R                *service.ReportDetail
	Reporter, Target *actorView
	Notes            []*models.Note
	ResolvedBy       string
	Actions          []string
	Form             *form
	Notice           string
}

func (w *Web) adminReportPage(c echo.Context, status int, u *models.User, f *form) error {
	r, err := w.svc.Moderation.Report(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	if f == nil {
		f = newForm()
	}
	d := adminReportData{R: r, Reporter: w.actorView(r.Reporter), Target: w.actorView(r.Target), Notes: r.Notes,
		Actions: service.ReportActions, Form: f}
	if r.ResolvedBy != "" {
		d.ResolvedBy = "@" + r.ResolvedBy
	}
	if c.QueryParam("done") == "resolved" {
		d.Notice = "Report resolved."
	}
	p := w.page(c, "Report")
	p.Data = d
	return w.render(c, status, "admin_report", p)
}

// adminReport is GET /admin/reports/:id.
func (w *Web) adminReport(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	return w.adminReportPage(c, http.StatusOK, u, nil)
}

// adminResolveReport is POST /admin/reports/:id/resolve, after a
// confirmation page that says what the action will do.
func (w *Web) adminResolveReport(c echo.Context) error {
	u, err := w.staff(c)
	if u == nil {
		return err
	}
	action, note := c.FormValue("action"), c.FormValue("note")
	if !confirmed(c) {
		r, err := w.svc.Moderation.Report(c.Request().Context(), u, c.Param("id"))
		if err != nil {
			return err
		}
		who := "the reported account"
		if t := w.actorView(r.Target); t != nil {
			who = t.Handle
		}
		lines := map[string][]string{
			models.ReportActionNone:          {"The report is closed without any action."},
			models.ReportActionRemoveContent: {"The reported posts of " + who + " are removed for everyone, and " + who + " is sent your reason."},
			models.ReportActionSuspend:       {who + " is suspended: they cannot log in, and their posts are hidden."},
			models.ReportActionBlockDomain:   {"Every account on the server of " + who + " is cut off from this server."},
		}[action]
		if lines == nil {
			f := newForm()
			f.Error = "choose an action"
			return w.adminReportPage(c, http.StatusUnprocessableEntity, u, f)
		}
		if note != "" {
			lines = append(lines, "Reason: "+note)
		}
		return w.askConfirm(c, confirmData{Title: "Resolve this report?", Lines: lines, Verb: "Yes, " + lowerFirst(actionLabels[action]),
			Cancel: "/admin/reports/" + c.Param("id"), Danger: action != models.ReportActionNone})
	}
	if err := w.svc.Moderation.Resolve(c.Request().Context(), u, c.Param("id"), service.ReportResolution{Action: action, Note: note}); err != nil {
		f := newForm()
		f.Values["note"] = note
		f.fail(err, map[string]string{"reason": "note", "note": "note"})
		return w.adminReportPage(c, statusOf(err), u, f)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/reports/"+c.Param("id")+"?done=resolved")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
