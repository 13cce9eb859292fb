package federation

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// groupExtras adds what FEP-1b12 and Lemmy readers look for on a community's actor:
// the moderators collection (also as attributedTo), posting restriction, member
// count and our own collections.
func (f *Federation) groupExtras(ctx context.Context, a *models.Actor, o *vocab.Object) {
	if a.Type != models.ActorGroup {
		return
	}
	o.Moderators = a.URI + "/moderators"
	com, err := f.svc.Store.CommunityByActorID(ctx, a.ID)
	if err != nil {
		return
	}
	n, _ := f.svc.Store.CountMembers(ctx, a.ID, nil)
	o.Extra = map[string]any{
		"postingRestrictedToMods": com.PostingPolicy == models.PolicyMaintainers,
		"commons:memberCount":     n,
		"commons:members":         a.URI + "/members",
		"commons:commons":         a.URI + "/commons",
		"commons:ledger":          a.URI + "/ledger",
		"licence":                 service.LicenceName(com.Licence),
	}
	if com.CharterHTML != "" {
		o.Extra["commons:charter"] = com.CharterHTML
	}
}

// contributionObject is the ActivityPub face of a contribution: a Note (what
// Mastodon renders) named by its title, carrying our terms for commons readers.
// Links are Link attachments; files are Document attachments {mediaType, url,
// name}, also listed in the content for readers that do not show documents.
func contributionObject(co *models.Contribution, group *models.Actor, contributors []string) *vocab.Object {
	var b strings.Builder
	fmt.Fprintf(&b, "<p><strong>%s</strong></p>", html.EscapeString(co.Title))
	b.WriteString(co.BodyHTML)
	links := co.Links
	if len(links) > 0 {
		b.WriteString("<ul>")
		for _, l := range links {
			fmt.Fprintf(&b, `<li><a href="%s" rel="nofollow noopener">%s</a></li>`, html.EscapeString(l), html.EscapeString(l))
		}
		b.WriteString("</ul>")
	}
	atts := service.Attachments(co)
	if len(atts) > 0 {
		b.WriteString("<p>Attachments:</p><ul>")
		for _, a := range atts {
			name := a.Name
			if name == "" {
				name = a.URL
			}
			fmt.Fprintf(&b, `<li><a href="%s" rel="nofollow noopener">%s</a></li>`, html.EscapeString(a.URL), html.EscapeString(name))
		}
		b.WriteString("</ul>")
	}
	fmt.Fprintf(&b, "<p>%s contribution to <a href=\"%s\">%s</a>, offered under %s.</p>", html.EscapeString(co.Kind),
		html.EscapeString(group.URL), html.EscapeString(group.Name), html.EscapeString(service.LicenceName(co.Licence)))
	o := &vocab.Object{ID: co.URI, Type: "Note", Name: co.Title, Content: b.String(), AttributedTo: contributors,
		Audience: []string{group.URI}, To: []string{vocab.PublicAddress}, CC: []string{group.URI},
		Published: co.CreatedAt, URL: co.URI,
		Extra: map[string]any{"contributionKind": co.Kind, "licence": co.Licence, "commons:state": co.State}}
	if co.Body != "" {
		o.Source = &vocab.Source{Content: co.Body, MediaType: "text/markdown"}
	}
	for _, l := range links {
		o.Attachments = append(o.Attachments, vocab.Attachment{Type: "Link", URL: l})
	}
	for _, a := range atts {
		o.Attachments = append(o.Attachments, vocab.Attachment{Type: "Document", MediaType: a.MediaType, URL: a.URL, Name: a.Name})
	}
	if co.AcceptedAt != nil {
		o.Extra["commons:acceptedAt"] = co.AcceptedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return o
}

func (f *Federation) contributorURIs(co *models.Contribution) []string {
	l := co.Contributors
	if len(l) == 0 {
		if a, err := f.svc.Store.ActorByID(context.Background(), co.ContributorID); err == nil {
			l = []string{a.URI}
		}
	}
	return l
}

// contribution serves a contribution offered from this instance (or one in a
// local commons) at its id.
func (f *Federation) contribution(c echo.Context) error {
	ctx := c.Request().Context()
	co, group, err := f.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if co.URI != f.svc.URLs().Contribution(co.ID) {
		return errs.NotFound("contribution not found")
	}
	return writeAP(c, http.StatusOK, contributionObject(co, group, f.contributorURIs(co)))
}

// localGroup loads the community named in the route.
func (f *Federation) localGroup(c echo.Context) (*models.Actor, *models.Community, error) {
	return f.svc.Communities.Local(c.Request().Context(), c.Param("name"))
}

// moderators is the collection of maintainers and stewards (Lemmy's moderators).
func (f *Federation) moderators(c echo.Context) error {
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	rows, err := f.svc.Communities.Maintainers(c.Request().Context(), group)
	if err != nil {
		return err
	}
	items := make([]*vocab.Object, len(rows))
	for i, r := range rows {
		items[i] = vocab.Ref(r.Actor.URI)
	}
	n := len(items)
	return writeAP(c, http.StatusOK, &vocab.Object{ID: group.URI + "/moderators", Type: "OrderedCollection", TotalItems: &n, Items: items})
}

// members is the members collection: its count is public, the list only when the
// community shows it.
func (f *Federation) members(c echo.Context) error {
	ctx := c.Request().Context()
	group, com, err := f.localGroup(c)
	if err != nil {
		return err
	}
	total, err := f.svc.Store.CountMembers(ctx, group.ID, nil)
	if err != nil {
		return errs.Internal(err)
	}
	return collection(c, group.URI+"/members", total, !com.MembersPublic, func(limit, offset int) ([]*vocab.Object, error) {
		rows, err := f.svc.Store.ListMembers(ctx, group.ID, models.MembershipActive, nil, limit, offset)
		out := make([]*vocab.Object, len(rows))
		for i, r := range rows {
			out[i] = vocab.Ref(r.Actor.URI)
		}
		return out, err
	})
}

// commons is the paged collection of accepted contributions, each embedded with
// its attribution and licence.
func (f *Federation) commons(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	_, total, err := f.svc.Communities.Commons(ctx, group, "", 1, 0)
	if err != nil {
		return err
	}
	return collection(c, group.URI+"/commons", total, false, func(limit, offset int) ([]*vocab.Object, error) {
		list, _, err := f.svc.Communities.Commons(ctx, group, "", limit, offset)
		out := make([]*vocab.Object, len(list))
		for i := range list {
			out[i] = contributionObject(&list[i], group, f.contributorURIs(&list[i]))
		}
		return out, err
	})
}

// ledger is the contributor ledger as a paged collection.
func (f *Federation) ledger(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	_, total, err := f.svc.Communities.Ledger(ctx, group, 1, 0)
	if err != nil {
		return err
	}
	return collection(c, group.URI+"/ledger", total, false, func(limit, offset int) ([]*vocab.Object, error) {
		list, _, err := f.svc.Communities.Ledger(ctx, group, limit, offset)
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(list))
		for _, e := range list {
			ids = append(ids, e.ContributorID)
		}
		actors, err := f.svc.Store.ActorsByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make([]*vocab.Object, 0, len(list))
		for _, e := range list {
			co, _ := f.svc.Store.ContributionByID(ctx, e.ContributionID)
			o := &vocab.Object{ID: group.URI + "/ledger/" + e.ID, Type: "commons:LedgerEntry", Published: e.RecordedAt,
				Extra: map[string]any{"contributionKind": e.Kind, "commons:weight": e.Weight}}
			if a := actors[e.ContributorID]; a != nil {
				o.AttributedTo = []string{a.URI}
			}
			if co != nil {
				o.Object = vocab.Ref(co.URI)
			}
			out = append(out, o)
		}
		return out, nil
	})
}
