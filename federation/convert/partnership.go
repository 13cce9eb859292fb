package convert

import (
	"strconv"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Partnerships across instances (issue 12; the shape is described in
// service/economy/partnerships_fed.go and the README): an organization's
// Offer{Agreement} to a community. The Agreement has commonsType Partnership,
// the pledge in words as content, commons:reciprocityTerms the terms in
// words, and stipulates one Commitment (provider the organization, receiver
// the Group) per measurable term: a monthly amount (hasUnit "one" with a
// currency, as pledges have it), hours per month (hasUnit "hour", action
// work) and a revenue share (hasUnit "percent", commons:shareOf revenue);
// the monthly ones carry commons:period "P1M".

func init() {
	register(func(_ *Converter, a service.PartnershipAgreementObject) (*vocab.Object, error) {
		return PartnershipAgreement(a.PartnershipOfferObject), nil
	})
	register(func(_ *Converter, p service.PartnershipOfferObject) (*vocab.Object, error) {
		return PartnershipOffer(p), nil
	})
}

// PartnershipAgreement is the Agreement of a partnership request.
func PartnershipAgreement(p service.PartnershipOfferObject) *vocab.Object {
	pa, id := p.Partnership, *p.Partnership.OfferURI
	commitment := func(frag, action string, q map[string]any) map[string]any {
		return map[string]any{"id": id + "#" + frag, "type": "Commitment", "action": action,
			"provider": p.Organization.URI, "receiver": p.Community.URI, "resourceQuantity": q}
	}
	var stip []any
	if pa.TermsMinor > 0 {
		c := commitment("monthly", "transfer", models.Money{Minor: pa.TermsMinor, Currency: pa.TermsCurrency}.Quantity())
		c["commons:period"] = "P1M"
		stip = append(stip, c)
	}
	if pa.TermsHours > 0 {
		c := commitment("hours", "work", map[string]any{"hasUnit": "hour", "hasNumericalValue": strconv.Itoa(pa.TermsHours)})
		c["commons:period"] = "P1M"
		stip = append(stip, c)
	}
	if pa.TermsPercentBP > 0 {
		c := commitment("revenue", "transfer", map[string]any{"hasUnit": "percent",
			"hasNumericalValue": strconv.Itoa(pa.TermsPercentBP/100) + "." + strconv.Itoa(100 + pa.TermsPercentBP%100)[1:]})
		c["commons:shareOf"] = "revenue"
		stip = append(stip, c)
	}
	extra := map[string]any{"commonsType": "Partnership", "commons:reciprocityTerms": pa.Terms}
	if len(stip) > 0 {
		extra["stipulates"] = stip
	}
	return &vocab.Object{ID: id + "#agreement", Type: "Agreement", Content: pa.Pledge, Extra: extra}
}

// PartnershipOffer is the organization's Offer{Agreement}, as the object of
// the community's Accept or Reject.
func PartnershipOffer(p service.PartnershipOfferObject) *vocab.Object {
	return &vocab.Object{ID: *p.Partnership.OfferURI, Type: service.TypeOffer, Actor: p.Organization.URI,
		To: []string{p.Community.URI}, Target: &vocab.Object{ID: p.Community.URI}, Object: PartnershipAgreement(p)}
}

// InboundPartnership reads an Offer{Agreement} whose Agreement has
// commonsType Partnership; false when the Offer is something else. Amounts
// and numbers are read as strings only (a JSON number becomes a value the
// service refuses); a Commitment whose provider is not the first one's is
// reported as that provider, so the service's check refuses it.
func InboundPartnership(act *vocab.Object) (service.RemotePartnership, bool) {
	o := act.Object
	if o == nil || o.Type != "Agreement" || o.Raw == nil || rawString(o.Raw["commonsType"]) != "Partnership" {
		return service.RemotePartnership{}, false
	}
	in := service.RemotePartnership{OfferURI: act.ID, Pledge: o.Content, Terms: rawString(o.Raw["commons:reciprocityTerms"])}
	if in.Terms == "" {
		in.Terms = rawString(o.Raw["reciprocityTerms"])
	}
	if act.Target != nil {
		in.Community = act.Target.ID
	}
	var list []any
	switch s := o.Raw["stipulates"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	}
	for _, v := range list {
		c, _ := v.(map[string]any)
		if c == nil {
			continue
		}
		// the first provider that is not the actor sticks
		if pr := rawString(c["provider"]); pr != "" && (in.Provider == "" || in.Provider == act.Actor) {
			in.Provider = pr
		}
		q, _ := c["resourceQuantity"].(map[string]any)
		if q == nil {
			continue
		}
		num, ok := q["hasNumericalValue"].(string)
		if !ok {
			num = "not a decimal string"
		}
		switch rawString(q["hasUnit"]) {
		case "one":
			if m, err := models.MoneyFromQuantity(q); err == nil {
				in.Structured.Amount, in.Structured.Currency = m.Decimal(), m.Currency
			} else {
				in.Structured.Amount, in.Structured.Currency = num, rawString(q["currency"])
			}
		case "hour":
			in.Structured.Hours = num
		case "percent":
			in.Structured.Percent = num
		}
	}
	return in, true
}
