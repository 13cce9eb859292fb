package convert

import (
	"fmt"
	"html"
	"strings"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(contribution)
	register(offer)
}

// contribution is a contribution as an activity's object: embedded when this
// instance hosts it, else by id (fetchable at its origin).
func contribution(c *Converter, o service.ContributionObject) (*vocab.Object, error) {
	co := o.Contribution
	if co.URI != c.urls.Contribution(co.ID) {
		return vocab.Ref(co.URI), nil
	}
	obj := Contribution(co, o.Group, co.Contributors)
	if o.Bounty != "" {
		// The bounty the contribution claims (issue 12), read back by
		// OfferedContribution.
		if obj.Extra == nil {
			obj.Extra = map[string]any{}
		}
		obj.Extra["claimsBounty"] = o.Bounty
	}
	return obj, nil
}

// offer is the Offer that brought a contribution, as the object of the Group's
// Accept or Reject: the contribution by id, the Group as target.
func offer(_ *Converter, o service.OfferObject) (*vocab.Object, error) {
	return &vocab.Object{ID: o.Contribution.OfferURI, Type: service.TypeOffer, Actor: o.Contributor.URI,
		Object: vocab.Ref(o.Contribution.URI), Target: vocab.Ref(o.Group.URI)}, nil
}

// Contribution is the ActivityPub face of a contribution: a Note (what Mastodon
// renders) named by its title, carrying our terms for commons readers. Links are
// Link attachments; files are Document attachments {mediaType, url, name}, also
// listed in the content for readers that do not show documents.
func Contribution(co *models.Contribution, group *models.Actor, contributors []string) *vocab.Object {
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
	if co.EditedAt != nil {
		o.Updated = *co.EditedAt // a revised offer (Update{contribution})
		o.Extra["commons:revision"] = co.Revision
	}
	if co.AcceptedAt != nil {
		o.Extra["commons:acceptedAt"] = co.AcceptedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return o
}

// Contributors are the actor IRIs a contribution is attributed to, as recorded
// with it; nil when none were recorded (the caller then names the contributor).
func Contributors(co *models.Contribution) []string { return co.Contributors }

// LedgerEntry is one entry of a community's contributor ledger: who (contributor,
// when known) is credited for which contribution (its IRI, when known), how much.
func LedgerEntry(group *models.Actor, e *models.LedgerEntry, contributor *models.Actor, co *models.Contribution) *vocab.Object {
	o := &vocab.Object{ID: group.URI + "/ledger/" + e.ID, Type: "commons:LedgerEntry", Published: e.RecordedAt,
		Extra: map[string]any{"contributionKind": e.Kind, "commons:weight": e.Weight}}
	if contributor != nil {
		o.AttributedTo = []string{contributor.URI}
	}
	if co != nil {
		o.Object = vocab.Ref(co.URI)
	}
	return o
}
