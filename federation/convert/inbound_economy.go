package convert

import (
	"fmt"
	"strings"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// IsAppeal reports whether o is a funding appeal (a Note with commonsType
// FundingAppeal).
func IsAppeal(o *vocab.Object) bool {
	return o != nil && o.Raw != nil && rawString(o.Raw["commonsType"]) == "FundingAppeal"
}

// InboundAppeal reads a remote appeal's Note strictly: the goal, raised and
// pledged amounts as decimal strings with exactly their currency's digits
// (raised and pledged may be zero), an end time, a known status.
func InboundAppeal(o *vocab.Object) (service.RemoteAppeal, error) {
	goal, err := models.MoneyFromQuantity(o.Raw["fundingGoal"])
	if err != nil {
		return service.RemoteAppeal{}, fmt.Errorf("fundingGoal: %w", err)
	}
	raised, err := totalFromQuantity(o.Raw["amountRaised"], goal.Currency)
	if err != nil {
		return service.RemoteAppeal{}, fmt.Errorf("amountRaised: %w", err)
	}
	pledged, err := totalFromQuantity(o.Raw["amountPledged"], goal.Currency)
	if err != nil {
		return service.RemoteAppeal{}, fmt.Errorf("amountPledged: %w", err)
	}
	count, ok := o.Raw["pledgeCount"].(float64)
	if !ok || count < 0 || count != float64(int64(count)) {
		return service.RemoteAppeal{}, fmt.Errorf("pledgeCount is not a count")
	}
	if o.EndTime.IsZero() {
		return service.RemoteAppeal{}, fmt.Errorf("an appeal needs an endTime")
	}
	in := service.RemoteAppeal{URI: o.ID, URL: o.URL, Title: o.Name, PurposeHTML: o.Content, Goal: goal, Raised: raised,
		Pledged: pledged, PledgeCount: int64(count), EndsAt: o.EndTime, State: rawString(o.Raw["appealStatus"]),
		LedgerURI: rawString(o.Raw["ledger"])}
	if in.Title == "" {
		in.Title = firstLineOf(o.Content)
	}
	switch b := o.Raw["beneficiary"].(type) {
	case string:
		in.Beneficiaries = []string{b}
	case []any:
		for _, x := range b {
			if s, ok := x.(string); ok && len(in.Beneficiaries) < 10 {
				in.Beneficiaries = append(in.Beneficiaries, s)
			}
		}
	}
	for _, t := range o.Tags {
		if t.Type == vocab.TagHashtag {
			in.Hashtag = strings.TrimPrefix(t.Name, "#")
			break
		}
	}
	return in, nil
}

// totalFromQuantity reads a total, which unlike a pledge may be zero.
func totalFromQuantity(v any, currency string) (models.Money, error) {
	if q, ok := v.(map[string]any); ok {
		zero := models.Money{Currency: currency}
		if s, _ := q["hasNumericalValue"].(string); s == zero.Decimal() && q["hasUnit"] == "one" && q["currency"] == currency {
			return zero, nil
		}
	}
	m, err := models.MoneyFromQuantity(v)
	if err == nil && m.Currency != currency {
		return models.Money{}, fmt.Errorf("currency differs from the goal's")
	}
	return m, err
}

// InboundPledge reads an Offer{Agreement} (FEP-0837): the Commitment it
// stipulates, what it satisfies, its provider and quantity (checked by the
// service). It reports false when the Offer is not a pledge.
func InboundPledge(act *vocab.Object) (service.RemotePledge, bool) {
	o := act.Object
	if o == nil || o.Type != "Agreement" || o.Raw == nil {
		return service.RemotePledge{}, false
	}
	c, _ := o.Raw["stipulates"].(map[string]any)
	if c == nil {
		return service.RemotePledge{OfferURI: act.ID}, true
	}
	monthly, _ := o.Raw["commons:monthly"].(bool)
	if m, ok := o.Raw["monthly"].(bool); ok {
		monthly = m
	}
	return service.RemotePledge{OfferURI: act.ID, Satisfies: rawString(c["satisfies"]), Provider: rawString(c["provider"]),
		Amount: c["resourceQuantity"], Monthly: monthly, Message: o.Content}, true
}

// AppealNote maps an appeal's Create to the note our timelines show. Its
// beneficiaries are addressed so that they hear of it, not posted to: an
// appeal is never a community post (a members-only community would refuse the
// whole Create, and with it the appeal for everyone else here); the
// beneficiaries' own Announce, once they recognise the author, relays it.
func AppealNote(author *models.Actor, act, o *vocab.Object) service.RemoteNote {
	rn := CreatedNote(author, act, o)
	in, err := InboundAppeal(o)
	if err != nil {
		return rn
	}
	drop := map[string]bool{}
	for _, b := range in.Beneficiaries {
		drop[b] = true
	}
	return withoutAddressees(rn, drop)
}

// withoutAddressees takes the actors in drop out of a received note's
// addressing, audience and mentions: an appeal's beneficiaries and an
// announcement's communities are named by the author, and that naming must
// not make the note a post in those communities (they relay it, or not, by
// their own decision).
func withoutAddressees(rn service.RemoteNote, drop map[string]bool) service.RemoteNote {
	kept := rn.Addressed[:0:0]
	for _, a := range rn.Addressed {
		if !drop[a] {
			kept = append(kept, a)
		}
	}
	rn.Addressed = kept
	if drop[rn.Note.AudienceURI] {
		rn.Note.AudienceURI = ""
	}
	tags := rn.Tags[:0:0]
	for _, t := range rn.Tags {
		if t.Type != "Mention" || !drop[t.Href] {
			tags = append(tags, t)
		}
	}
	rn.Tags = tags
	return rn
}
