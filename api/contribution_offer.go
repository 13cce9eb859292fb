package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type offerContributionRequest struct {
	Title          string   `json:"title"`
	Body           string   `json:"body"`
	Kind           string   `json:"kind"`
	Links          []string `json:"links"`
	Licence        string   `json:"licence"`
	CoContributors []string `json:"co_contributors"`
	// Bounty is the id or URI of a bounty the contribution claims (issue 12).
	Bounty string `json:"bounty"`
}

// offerContribution is POST /api/v1/communities/{handle}/contributions: offer work
// to a commons. A local community stores it for review under its offer policy; a
// remote one (by @name@host or URL) is sent an Offer.
//
// The body is JSON, or multipart/form-data with the same fields (links and
// co_contributors repeated) and up to 4 files in "attachments[]": each at most
// media.max_attachment_bytes (413) and of an accepted type by its content (415).
func (a *API) offerContribution(c echo.Context) error {
	var req offerContributionRequest
	var files []service.Upload
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt == "multipart/form-data" {
		var err error
		if files, err = a.readOfferMultipart(c, &req); err != nil {
			return err
		}
	} else if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := a.svc.Communities.Offer(ctx, me, group, service.ContributionInput{Title: req.Title, Body: req.Body,
		Kind: req.Kind, Licence: req.Licence, Links: req.Links, CoContributors: req.CoContributors, Files: files, Bounty: req.Bounty}, nil)
	if err != nil {
		return err
	}
	v, err := a.contributionView(ctx, co, group)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/contributions/"+co.ID)
	return c.JSON(http.StatusCreated, v)
}

// readOfferMultipart streams a multipart offer: text fields into req, files into
// uploads. Reading stops as soon as a file passes the limit (413), so nothing
// oversized sits in memory and nothing is stored.
func (a *API) readOfferMultipart(c echo.Context, req *offerContributionRequest) ([]service.Upload, error) {
	return a.readContributionMultipart(c, func(name, v string) error {
		switch name {
		case "title":
			req.Title = v
		case "body":
			req.Body = v
		case "kind":
			req.Kind = v
		case "licence":
			req.Licence = strings.TrimSpace(v)
		case "bounty":
			req.Bounty = strings.TrimSpace(v)
		case "links", "links[]":
			req.Links = append(req.Links, lines(v)...)
		case "co_contributors", "co_contributors[]":
			if v = strings.TrimSpace(v); v != "" {
				req.CoContributors = append(req.CoContributors, v)
			}
		default:
			return errs.BadRequest("unknown field %q", name)
		}
		return nil
	})
}

// lines splits a form value into its non-empty trimmed lines.
func lines(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// readContributionMultipart streams a multipart contribution body (an offer or
// a revision): up to MaxAttachments files in "attachments[]", each text field
// handed to field.
func (a *API) readContributionMultipart(c echo.Context, field func(name, v string) error) ([]service.Upload, error) {
	limit := a.svc.Cfg.Media.MaxAttachmentBytes
	bodyLimit := int64(models.MaxAttachments)*(limit+multipartOverhead) + maxJSONBody
	r := c.Request()
	if r.ContentLength > bodyLimit {
		return nil, tooLarge(bodyLimit)
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, bodyLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errs.BadRequest("malformed multipart body: %v", err)
	}
	var files []service.Upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, offerMultipartError(err, bodyLimit)
		}
		name := part.FormName()
		if name == "attachments[]" || name == "attachments" {
			if len(files) == models.MaxAttachments {
				return nil, errs.Unprocessable("at most %d attachments", models.MaxAttachments)
			}
			data, err := io.ReadAll(io.LimitReader(part, limit+1))
			if err != nil {
				return nil, offerMultipartError(err, bodyLimit)
			}
			if int64(len(data)) > limit {
				return nil, errs.New(http.StatusRequestEntityTooLarge, "attachment %q is larger than %d bytes", part.FileName(), limit)
			}
			files = append(files, service.Upload{Name: part.FileName(), ContentType: part.Header.Get(echo.HeaderContentType), Data: data})
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxJSONBody+1))
		if err != nil {
			return nil, offerMultipartError(err, bodyLimit)
		}
		if len(b) > maxJSONBody {
			return nil, errs.New(http.StatusRequestEntityTooLarge, "field %s is larger than %d bytes", name, maxJSONBody)
		}
		if err := field(name, string(b)); err != nil {
			return nil, err
		}
	}
}

func offerMultipartError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(limit)
	}
	return errs.BadRequest("malformed multipart body: %v", err)
}
