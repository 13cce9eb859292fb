package convert

import (
	"fmt"
	"strings"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, a service.AnnouncementObject) (*vocab.Object, error) { return Announcement(a), nil })
}

// What an announcement's primary Intent is about, by kind: the ValueFlows
// action and the resource (an IRI in our namespace).
var announcementIntents = map[string][2]string{
	models.AnnouncementJob:     {"work", vocab.CommonsNamespace + "Work"},
	models.AnnouncementBounty:  {"work", vocab.CommonsNamespace + "Work"},
	models.AnnouncementService: {"deliverService", vocab.CommonsNamespace + "Service"},
	models.AnnouncementGoods:   {"transfer", vocab.CommonsNamespace + "Goods"},
	models.AnnouncementEvent:   {"deliverService", vocab.CommonsNamespace + "Event"},
}

// Announcement is a coalition announcement (issue 12) as a Note by its
// organization. Mastodon shows Notes and drops unknown types, so the content
// (rendered by the economy: kind and title, what, for whom, price or pay,
// deadline or time, link, the communities) reads on its own in HTML Mastodon
// keeps. For readers that know them: FEP-0837 Proposal fields — purpose
// (offer, or request for a job or bounty), publishes (the primary Intent:
// action, resourceConformsTo, resourceQuantity one unit; the organization
// its provider when offering, its receiver when requesting) and, with an
// amount, reciprocal (the money Intent the other way) — plus our terms:
// commonsType CoalitionAnnouncement, announcementKind, forWhom, price (a
// resource quantity), payNote, announcementLink, and endTime (a deadline)
// or startTime (an event). Addressed to the organization's followers and the
// communities (cc and audience).
func Announcement(ao service.AnnouncementObject) *vocab.Object {
	a, author := ao.Announcement, ao.Author
	cc := append([]string{author.FollowersURI}, a.Communities...)
	o := &vocab.Object{
		ID: a.URI, Type: "Note", Name: a.Title, Content: ao.Content, URL: a.URL,
		AttributedTo: []string{author.URI}, To: []string{vocab.PublicAddress}, CC: cc,
		Audience: append([]string(nil), a.Communities...), Published: a.CreatedAt,
	}
	action := announcementIntents[a.Kind]
	intent := map[string]any{
		"id": a.URI + "#primary", "type": "Intent", "action": action[0], "resourceConformsTo": action[1],
		"resourceQuantity": map[string]any{"hasUnit": "one", "hasNumericalValue": "1"},
	}
	side, other := "provider", "receiver"
	if a.Purpose == "request" {
		side, other = other, side
	}
	intent[side] = author.URI
	o.Extra = map[string]any{
		"commonsType":      "CoalitionAnnouncement",
		"announcementKind": a.Kind,
		"purpose":          a.Purpose,
		"publishes":        intent,
	}
	if price, ok := a.Price(); ok {
		o.Extra["price"] = price.Quantity()
		o.Extra["reciprocal"] = map[string]any{
			"id": a.URI + "#reciprocal", "type": "Intent", "action": "transfer",
			other: author.URI, "resourceQuantity": price.Quantity(),
		}
	}
	if a.ForWhom != "" {
		o.Extra["forWhom"] = a.ForWhom
	}
	if a.PayNote != "" {
		o.Extra["payNote"] = a.PayNote
	}
	if a.Link != "" {
		o.Extra["announcementLink"] = a.Link
	}
	if a.At != nil {
		if a.Kind == models.AnnouncementEvent {
			o.StartTime = *a.At
		} else {
			o.EndTime = *a.At
		}
	}
	return o
}

// IsAnnouncement reports whether o is a coalition announcement (a Note with
// commonsType CoalitionAnnouncement).
func IsAnnouncement(o *vocab.Object) bool {
	return o != nil && o.Raw != nil && rawString(o.Raw["commonsType"]) == "CoalitionAnnouncement"
}

// InboundAnnouncement reads a remote announcement's Note strictly: a known
// announcementKind (checked by the service), a price read as strictly as
// ours (a resource quantity with exactly its currency's digits), string
// fields as strings, the addressed communities from audience, to and cc, and
// partnerOf (the partnerships it claims, checked by the service).
func InboundAnnouncement(o *vocab.Object) (service.RemoteAnnouncement, error) {
	in := service.RemoteAnnouncement{URI: o.ID, URL: o.URL, Title: o.Name, BodyHTML: o.Content}
	for key, dst := range map[string]*string{"announcementKind": &in.Kind, "purpose": &in.Purpose, "forWhom": &in.ForWhom,
		"payNote": &in.PayNote, "announcementLink": &in.Link} {
		v, ok := o.Raw[key]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return service.RemoteAnnouncement{}, fmt.Errorf("%s is not a string", key)
		}
		*dst = s
	}
	if in.Kind == "" {
		return service.RemoteAnnouncement{}, fmt.Errorf("an announcement needs its announcementKind")
	}
	if v, ok := o.Raw["price"]; ok {
		m, err := models.MoneyFromQuantity(v)
		if err != nil {
			return service.RemoteAnnouncement{}, fmt.Errorf("price: %w", err)
		}
		in.Price = &m
	}
	if in.Kind == models.AnnouncementEvent && !o.StartTime.IsZero() {
		in.At = o.StartTime
	} else {
		in.At = o.EndTime
	}
	seen := map[string]bool{vocab.PublicAddress: true, "as:Public": true, "Public": true}
	for _, u := range append(append(append([]string(nil), o.Audience...), o.To...), o.CC...) {
		if !seen[u] {
			seen[u] = true
			in.Communities = append(in.Communities, u)
		}
	}
	switch p := o.Raw["partnerOf"].(type) {
	case nil:
	case string:
		in.PartnerOf = []string{p}
	case []any:
		for _, x := range p {
			s, ok := x.(string)
			if !ok {
				return service.RemoteAnnouncement{}, fmt.Errorf("partnerOf lists ids")
			}
			in.PartnerOf = append(in.PartnerOf, s)
		}
	default:
		return service.RemoteAnnouncement{}, fmt.Errorf("partnerOf lists ids")
	}
	if in.Title == "" {
		in.Title = firstLineOf(o.Content)
	}
	return in, nil
}

// AnnouncementNote maps an announcement's Create to the note our timelines
// show. The communities it is addressed to hear of it but are not posted
// to: a community relays an announcement by its own decision (the
// economy's, for a partner or when its maintainers approve), never as a
// member's post under its posting rule.
func AnnouncementNote(author *models.Actor, act, o *vocab.Object, in service.RemoteAnnouncement) service.RemoteNote {
	rn := CreatedNote(author, act, o)
	drop := map[string]bool{}
	for _, c := range in.Communities {
		if c != author.FollowersURI && !strings.HasSuffix(c, "#Public") {
			drop[c] = true
		}
	}
	return withoutAddressees(rn, drop)
}
