package api

import (
	"mime"
	"net/http"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type reviseContributionRequest struct {
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Links       []string `json:"links"`
	RemoveFiles []string `json:"remove_files"`
}

// reviseContribution is POST /api/v1/contributions/{id}/revisions: the
// contributor sends a new revision (the whole title, body and links; files
// kept unless named in remove_files, new ones added). JSON, or multipart with
// the same fields and files in "attachments[]", as an offer.
func (a *API) reviseContribution(c echo.Context) error {
	var req reviseContributionRequest
	var files []service.Upload
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt == "multipart/form-data" {
		var err error
		files, err = a.readContributionMultipart(c, func(name, v string) error {
			switch name {
			case "title":
				req.Title = v
			case "body":
				req.Body = v
			case "links", "links[]":
				req.Links = append(req.Links, lines(v)...)
			case "remove_files", "remove_files[]":
				req.RemoveFiles = append(req.RemoveFiles, lines(v)...)
			default:
				return errs.BadRequest("unknown field %q", name)
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else if err := bindJSON(c, &req); err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := a.svc.Communities.Revise(ctx, me, c.Param("id"), service.RevisionInput{Title: req.Title, Body: req.Body,
		Links: req.Links, Files: files, RemoveFiles: req.RemoveFiles}, nil)
	if err != nil {
		return err
	}
	return a.writeContribution(c, co)
}

// withdrawContribution is POST /api/v1/contributions/{id}/withdraw: the
// contributor takes an undecided offer back.
func (a *API) withdrawContribution(c echo.Context) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	co, err := a.svc.Communities.Withdraw(c.Request().Context(), me, c.Param("id"), false)
	if err != nil {
		return err
	}
	return a.writeContribution(c, co)
}

func (a *API) writeContribution(c echo.Context, co *models.Contribution) error {
	ctx := c.Request().Context()
	_, group, err := a.svc.Communities.Contribution(ctx, co.ID)
	if err != nil {
		return err
	}
	v, err := a.contributionView(ctx, co, group)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type revisionJSON struct {
	Number      int                 `json:"number"`
	Title       string              `json:"title"`
	Body        string              `json:"body"`
	BodyHTML    string              `json:"body_html"`
	URLs        []string            `json:"urls"`
	Attachments []models.Attachment `json:"attachments"`
	Author      *actorRefJSON       `json:"author"`
	CreatedAt   time.Time           `json:"created_at"`
}

// contributionRevisions is GET /api/v1/contributions/{id}/revisions: every
// revision of a contribution, oldest first (public, as the contribution is).
func (a *API) contributionRevisions(c echo.Context) error {
	ctx := c.Request().Context()
	co, _, err := a.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	revs, err := a.svc.Communities.Revisions(ctx, co)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(revs))
	for _, r := range revs {
		ids = append(ids, r.AuthorID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	out := make([]revisionJSON, 0, len(revs))
	for _, r := range revs {
		v := revisionJSON{Number: r.Number, Title: r.Title, Body: r.Body, BodyHTML: r.BodyHTML,
			URLs: append([]string{}, r.Links...), Attachments: service.RevisionAttachments(&r), CreatedAt: r.CreatedAt.UTC()}
		if ref, ok := refs[r.AuthorID]; ok {
			v.Author = &ref
		}
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, out)
}
