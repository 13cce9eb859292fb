package frontend

import (
	"bytes"
	"encoding/csv"
	"github.com/commonsd/commonsd/content"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"
)

// The contributor ledger (HTML and CSV) and the community's RSS and Atom feeds.

const (
	ledgerPageSize = 100
	feedItems      = 50
	maxCSVRows     = 100000
)

type ledgerData struct {
	Group      *models.Actor
	Path       string
	Entries    []ledgerView
	Total      int64
	Page, Next int
}

// contributionTitles loads the titles of the contributions the entries are about.
func (w *Web) contributionTitles(c echo.Context, entries []models.LedgerEntry) map[string]string {
	titles := map[string]string{}
	for _, e := range entries {
		if _, ok := titles[e.ContributionID]; ok {
			continue
		}
		titles[e.ContributionID] = ""
		if co, _, err := w.svc.Communities.Contribution(c.Request().Context(), e.ContributionID); err == nil {
			titles[e.ContributionID] = co.Title
		}
	}
	return titles
}

func (w *Web) ledgerPage(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	if pg < 0 {
		pg = 0
	}
	entries, total, err := w.svc.Communities.Ledger(ctx, group, ledgerPageSize, pg*ledgerPageSize)
	if err != nil {
		return err
	}
	d := ledgerData{Group: group, Path: communityPath(group), Total: total, Page: pg}
	if int64((pg+1)*ledgerPageSize) < total {
		d.Next = pg + 1
	}
	d.Entries = w.people(ctx).ledger(entries, w.contributionTitles(c, entries))
	p := w.page(c, "Ledger of "+displayName(group))
	p.Data = d
	return w.render(c, http.StatusOK, "community_ledger", p)
}

// csvCell keeps a spreadsheet from reading a cell as a formula (a handle starts
// with @, a title may start with =).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ledgerCSV exports the whole ledger: contributor, kind, contribution, weight,
// recorded_at (RFC 3339, UTC).
func (w *Web) ledgerCSV(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"contributor", "kind", "contribution", "weight", "recorded_at"})
	ppl := w.people(ctx)
	const page = 1000
	for off := 0; off < maxCSVRows; off += page {
		entries, _, err := w.svc.Communities.Ledger(ctx, group, page, off)
		if err != nil {
			return err
		}
		titles := w.contributionTitles(c, entries)
		for _, e := range entries {
			_ = cw.Write([]string{csvCell(strings.TrimPrefix(ppl.id(e.ContributorID).Handle, "@")), e.Kind,
				csvCell(titles[e.ContributionID]), strconv.Itoa(e.Weight), e.RecordedAt.UTC().Format(time.RFC3339)})
		}
		if len(entries) < page {
			break
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return errs.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+group.Username+`-ledger.csv"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// communityFeed builds the feed: accepted contributions and discussions, newest
// first, at most feedItems.
func (w *Web) communityFeed(c echo.Context) (*feeds.Feed, error) {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return nil, err
	}
	base := w.cfg.Server.PublicURL
	ppl := w.people(ctx)
	commons, _, err := w.svc.Communities.Commons(ctx, group, "", feedItems, 0)
	if err != nil {
		return nil, err
	}
	posts, err := w.svc.Communities.Discussions(ctx, group, feedItems, 0)
	if err != nil {
		return nil, err
	}
	f := &feeds.Feed{Title: displayName(group), Link: &feeds.Link{Href: base + communityPath(group)},
		Description: "Accepted contributions and discussions of " + displayName(group) + " (@" + group.Username + "@" + w.host + ")",
		Id:          group.URI, Created: group.CreatedAt}
	for _, co := range commons {
		v := ppl.contribution(co)
		var names []string
		for _, p := range v.Contributors {
			names = append(names, p.Name)
		}
		when := co.CreatedAt
		if co.AcceptedAt != nil {
			when = *co.AcceptedAt
		}
		f.Items = append(f.Items, &feeds.Item{Title: "Contribution: " + co.Title, Id: co.URI,
			Link: &feeds.Link{Href: base + v.Page}, Author: &feeds.Author{Name: strings.Join(names, ", ")},
			Description: co.BodyHTML + "<p>Licence: " + v.LicenceName + "</p>", Created: when})
	}
	for _, n := range posts {
		title := n.Name
		if title == "" {
			title = "Discussion"
		}
		link := n.URL
		if link == "" {
			link = n.URI
		}
		f.Items = append(f.Items, &feeds.Item{Title: title, Id: n.URI, Link: &feeds.Link{Href: link},
			Author: &feeds.Author{Name: ppl.id(n.AuthorID).Name}, Description: content.WithoutTitle(n.Content, n.Name), Created: n.Published})
	}
	sort.SliceStable(f.Items, func(i, j int) bool { return f.Items[i].Created.After(f.Items[j].Created) })
	if len(f.Items) > feedItems {
		f.Items = f.Items[:feedItems]
	}
	if len(f.Items) > 0 {
		f.Updated = f.Items[0].Created
	}
	return f, nil
}
