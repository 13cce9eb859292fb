package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, a service.AgreementObject) (*vocab.Object, error) {
		return Agreement(a.PledgeOfferObject), nil
	})
	register(func(_ *Converter, p service.PledgeOfferObject) (*vocab.Object, error) { return PledgeOffer(p), nil })
}

// Agreement is a pledge as FEP-0837 writes it: an Agreement that stipulates a
// Commitment by the pledger (provider) to the appeal's author (receiver)
// satisfying the appeal's primary intent with a resource quantity. Our terms
// say whether it is monthly; its content is the pledger's message.
func Agreement(p service.PledgeOfferObject) *vocab.Object {
	pl := p.Pledge
	m := models.Money{Minor: pl.AmountMinor, Currency: pl.Currency}
	return &vocab.Object{ID: pl.URI + "#agreement", Type: "Agreement", Content: pl.Message,
		Extra: map[string]any{
			"stipulates": map[string]any{
				"id": pl.URI + "#commitment", "type": "Commitment", "satisfies": p.AppealURI + "#primary",
				"action": "transfer", "provider": p.Pledger.URI, "receiver": p.Author.URI,
				"resourceQuantity": m.Quantity(),
			},
			"commons:monthly": pl.Monthly,
		}}
}

// PledgeOffer is the Offer{Agreement} of a pledge, as the object of the
// appeal author's Accept or Reject.
func PledgeOffer(p service.PledgeOfferObject) *vocab.Object {
	return &vocab.Object{ID: p.Pledge.URI, Type: service.TypeOffer, Actor: p.Pledger.URI, To: []string{p.Author.URI},
		Object: Agreement(p)}
}
