package convert

import (
	"html"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// OrganizationExtras adds an Organization actor's economy terms: its kind,
// its money ledger and its payment links as FEP-0ea0 Links with rel
// "payment" (what Mitra and others read; Mastodon shows the same links as
// PropertyValue profile fields, written by Actor from the actor's fields).
func OrganizationExtras(urls service.URLs, a *models.Actor, org *models.Organization, o *vocab.Object) {
	if a.Type != models.ActorOrganization || org == nil {
		return
	}
	for _, l := range service.PaymentLinks(org.PaymentLinks) {
		o.Attachments = append(o.Attachments, vocab.Attachment{Type: "Link", Rel: "payment", Name: l.Name, URL: l.Value, MediaType: "text/html"})
	}
	if o.Extra == nil {
		o.Extra = map[string]any{}
	}
	o.Extra["commons:organizationKind"] = org.Kind
	o.Extra["ledger"] = urls.Funds(a.Username)
}

// EconomicEvent is one entry of a money ledger in ValueFlows terms: a pledge
// is a Commitment (what it promises), a receipt or disbursement an
// EconomicEvent (what happened), each with action, provider, receiver,
// resourceQuantity, hasPointInTime and fulfills (the pledge a receipt
// fulfils) or corrects (the entry a correcting entry backs out). An
// anonymous provider is left out (the amount stays). provider/receiver may
// be nil (money from outside the fediverse).
func EconomicEvent(urls service.URLs, e *models.EconomicEvent, provider, receiver *models.Actor) *vocab.Object {
	typ := "EconomicEvent"
	if e.Kind == models.EntryPledge || e.Kind == models.EntryPayout {
		typ = "Commitment"
	}
	extra := map[string]any{
		"action":           e.Action,
		"entryKind":        e.Kind,
		"resourceQuantity": e.Money().Quantity(),
		"hasPointInTime":   e.PointInTime.UTC().Format("2006-01-02T15:04:05Z"),
	}
	if provider != nil && !e.Anonymous {
		extra["provider"] = provider.URI
	}
	if e.Anonymous {
		extra["anonymous"] = true
	}
	if receiver != nil {
		extra["receiver"] = receiver.URI
	}
	if e.Fulfills != "" && e.Kind == models.EntryReceipt {
		extra["fulfills"] = urls.Pledge(e.Fulfills)
	}
	if e.Corrects != nil {
		extra["corrects"] = urls.LedgerEntry(*e.Corrects)
	}
	o := &vocab.Object{ID: urls.LedgerEntry(e.ID), Type: typ, Published: e.CreatedAt, Extra: extra}
	if e.Note != "" {
		o.Summary = html.EscapeString(e.Note)
	}
	return o
}
