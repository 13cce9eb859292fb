package frontend

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Revising an offer (issue 10 §3), as in a pull request: the contributor
// sends a new revision (title, text, links, files) after changes were
// requested, or reopens a rejected offer; or withdraws it. The contribution
// page shows the revisions with a line diff of each against the one before,
// interleaved with the review comments. The rules are Communities.Revise's and
// Withdraw's.

func (w *Web) registerRevisions(e router) {
	e.GET("/contributions/:id/revise", w.reviseForm)
	e.POST("/contributions/:id/revise", w.revise, w.offerUploadRoute())
	e.POST("/contributions/:id/withdraw", w.contributionWithdraw)
}

type reviseData struct {
	C        contributionView
	Form     *form
	MaxFiles int
	MaxSize  string
}

func (w *Web) reviseForm(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	co, _, err := w.svc.Communities.Contribution(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if co.ContributorID != me.ID {
		return errs.Forbidden("only the contributor revises a contribution")
	}
	f := newForm()
	f.Values["title"], f.Values["body"], f.Values["links"] = co.Title, co.Body, strings.Join(co.Links, "\n")
	return w.revisePage(c, http.StatusOK, co, f)
}

func (w *Web) revisePage(c echo.Context, status int, co *models.Contribution, f *form) error {
	p := w.page(c, "Revise “"+co.Title+"”")
	p.Data = reviseData{C: w.people(c.Request().Context()).contribution(*co), Form: f, MaxFiles: models.MaxAttachments,
		MaxSize: humanBytes(w.cfg.Media.MaxAttachmentBytes)}
	return w.render(c, status, "contribution_revise", p)
}

func (w *Web) revise(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	co, _, err := w.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"title", "body", "links"} {
		f.Values[k] = c.FormValue(k)
	}
	files, err := formUploads(c.Request(), "attachments", w.cfg.Media.MaxAttachmentBytes)
	if err != nil {
		f.Errors["attachments"] = errs.Message(err)
		return w.revisePage(c, statusOf(err), co, f)
	}
	var links []string
	for _, l := range strings.Split(f.Get("links"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	var remove []string
	if c.Request().Form != nil {
		remove = c.Request().Form["remove_file"]
	}
	if c.Request().MultipartForm != nil {
		remove = append(remove, c.Request().MultipartForm.Value["remove_file"]...)
	}
	_, err = w.svc.Communities.Revise(ctx, me, co.ID, service.RevisionInput{Title: f.Get("title"), Body: f.Get("body"),
		Links: links, Files: files, RemoveFiles: slices.Compact(remove)}, nil)
	if err != nil {
		switch errs.Status(err) {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusInternalServerError:
			return err
		}
		f.fail(err, offerFields)
		return w.revisePage(c, statusOf(err), co, f)
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+co.ID+"?done=revised#review")
}

func (w *Web) contributionWithdraw(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	if _, err := w.svc.Communities.Withdraw(c.Request().Context(), me, c.Param("id"), false); err != nil {
		return w.contributionFailure(c, err, func(d *contributionData, msg string) { d.Error = msg })
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+c.Param("id")+"?done=withdrawn")
}

// ---- the revisions on the contribution page ----

// revisionView is one revision as the review timeline shows it: what changed
// against the revision before (nothing for the first).
type revisionView struct {
	Rev          models.ContributionRevision
	Author       *person
	Current      bool
	OldTitle     string // the previous title when it changed
	Diff         []content.DiffLine
	TextChanged  bool
	LinksAdded   []string
	LinksRemoved []string
	FilesAdded   []models.Attachment
	FilesRemoved []models.Attachment
}

// timelineItem is a revision or a review comment, in the order they happened.
type timelineItem struct {
	Revision *revisionView
	Comment  *commentView
}

func (p *people) revisions(revs []models.ContributionRevision, current int) []revisionView {
	out := make([]revisionView, 0, len(revs))
	for i, r := range revs {
		v := revisionView{Rev: r, Author: p.id(r.AuthorID), Current: r.Number == current}
		if i > 0 {
			prev := revs[i-1]
			if prev.Title != r.Title {
				v.OldTitle = prev.Title
			}
			if prev.Body != r.Body {
				v.TextChanged, v.Diff = true, content.DiffLines(prev.Body, r.Body)
			}
			v.LinksAdded, v.LinksRemoved = added(r.Links, prev.Links), added(prev.Links, r.Links)
			now, before := service.RevisionAttachments(&r), service.RevisionAttachments(&prev)
			v.FilesAdded, v.FilesRemoved = addedFiles(now, before), addedFiles(before, now)
		}
		out = append(out, v)
	}
	return out
}

func added(now, before []string) []string {
	var out []string
	for _, s := range now {
		if !slices.Contains(before, s) {
			out = append(out, s)
		}
	}
	return out
}

func addedFiles(now, before []models.Attachment) []models.Attachment {
	var out []models.Attachment
	for _, a := range now {
		if !slices.ContainsFunc(before, func(b models.Attachment) bool { return b.URL == a.URL }) {
			out = append(out, a)
		}
	}
	return out
}

// timeline interleaves revisions and comments by time (a comment written on
// a revision comes after it).
func timeline(revs []revisionView, comments []commentView) []timelineItem {
	out := make([]timelineItem, 0, len(revs)+len(comments))
	i, j := 0, 0
	for i < len(revs) || j < len(comments) {
		if j == len(comments) || (i < len(revs) && !comments[j].Comment.CreatedAt.Before(revs[i].Rev.CreatedAt)) {
			out = append(out, timelineItem{Revision: &revs[i]})
			i++
		} else {
			out = append(out, timelineItem{Comment: &comments[j]})
			j++
		}
	}
	return out
}
