package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// rel=me verification of profile links, as Mastodon does it: a profile field
// whose value is a URL is verified when the page at that URL links back to
// the profile with rel="me" (an <a> or <link>). The check runs as a job after
// the profile is saved (a page may be slow; saving must not wait), fetching
// through the federation edge's fetcher (PageFetcher: no private addresses,
// the domain policy, bounded time and size). A changed value loses its
// verification; an unchanged one keeps it. verified_at is shown on the
// profile and in the API and is not federated: each server verifies itself.
// Without a job queue (CLI tools, unit tests) fields are saved unverified.

// PageFetcher fetches a web page (text/html) from another server.
type PageFetcher interface {
	Page(ctx context.Context, uri string) ([]byte, error)
}

// SetPageFetcher plugs in the fetcher of web pages (rel=me verification).
func (a *Actors) SetPageFetcher(p PageFetcher) { a.d.Pages = p }

// SetJobs plugs in the job queue (rel=me verification runs as a job).
func (a *Actors) SetJobs(j core.Jobs) { a.d.Jobs = j }

// VerifyFieldsJob verifies the URL fields of a local actor's profile.
type VerifyFieldsJob struct {
	ActorID string `json:"actor_id"`
}

// Kind implements Job.
func (VerifyFieldsJob) Kind() string { return "verify_profile_fields" }

// keepVerified carries verified_at over to fields whose name and value did
// not change, and reports whether any field is a URL to verify.
func keepVerified(old, fields []models.Field) (toVerify bool) {
	for i := range fields {
		fields[i].VerifiedAt = nil
		for _, o := range old {
			if o.Name == fields[i].Name && o.Value == fields[i].Value {
				fields[i].VerifiedAt = o.VerifiedAt
			}
		}
		if content.FieldURL(fields[i].Value) != "" {
			toVerify = true
		}
	}
	return toVerify
}

// enqueueVerify asks for the verification of act's fields in tx, when a job
// queue is plugged in.
func (a *Actors) enqueueVerify(ctx context.Context, tx *store.Store, act *models.Actor) error {
	if a.d.Jobs == nil {
		return nil
	}
	if _, none := a.d.Jobs.(core.NoJobs); none {
		return nil
	}
	return a.d.Jobs.Enqueue(ctx, tx, VerifyFieldsJob{ActorID: act.ID})
}

// VerifyFields runs a VerifyFieldsJob: each URL field is checked, and the
// fields are saved with their verified_at if they did not change meanwhile
// (otherwise the newer save's own job checks them).
func (a *Actors) VerifyFields(ctx context.Context, job VerifyFieldsJob) error {
	act, err := a.d.Store.ActorByID(ctx, job.ActorID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !act.Local() || a.d.Pages == nil {
		return nil
	}
	fields := Fields(act)
	now := a.d.Now()
	for i, f := range fields {
		u := content.FieldURL(f.Value)
		if u == "" {
			continue
		}
		if a.linksBack(ctx, u, act) {
			fields[i].VerifiedAt = &now
		} else {
			fields[i].VerifiedAt = nil
		}
	}
	b, _ := json.Marshal(fields)
	if _, err := a.d.Store.SetActorFields(ctx, act.ID, act.Fields, string(b)); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// linksBack reports whether the page at pageURL links to act's profile (its
// profile page or actor URL) with rel="me". A page that cannot be fetched
// does not.
func (a *Actors) linksBack(ctx context.Context, pageURL string, act *models.Actor) bool {
	body, err := a.d.Pages.Page(ctx, pageURL)
	if err != nil {
		a.d.Log.Info("rel=me: page not fetched", "url", pageURL, "err", err)
		return false
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return false
	}
	want := map[string]bool{normalLink(act.URI): true}
	if act.URL != "" {
		want[normalLink(act.URL)] = true
	}
	for _, href := range relMeLinks(body) {
		if u, err := base.Parse(href); err == nil && want[normalLink(u.String())] {
			return true
		}
	}
	return false
}

// relMeLinks are the hrefs of <a> and <link> elements whose rel has "me".
func relMeLinks(page []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if (string(name) != "a" && string(name) != "link") || !hasAttr {
				continue
			}
			var href string
			var me bool
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "href":
					href = string(v)
				case "rel":
					for _, r := range strings.Fields(strings.ToLower(string(v))) {
						me = me || r == "me"
					}
				}
				if !more {
					break
				}
			}
			if me && href != "" {
				out = append(out, href)
			}
		}
	}
}

// normalLink compares links: lower-case scheme and host, no fragment, no
// trailing slash.
func normalLink(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	u.Scheme, u.Host, u.Fragment, u.RawFragment = strings.ToLower(u.Scheme), strings.ToLower(u.Host), "", ""
	return strings.TrimSuffix(u.String(), "/")
}

// FieldValueHTML is a local profile field's value as it is federated:
// Mastodon's HTML (a URL as a rel="me" link, other text escaped). Remote
// servers read values as HTML, and GoToSocial drops a bare URL.
func FieldValueHTML(value string) string { return content.FieldHTML(value) }
