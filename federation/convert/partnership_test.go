package convert

import (
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// partnershipOffer is bob's (as an organization) request to the group with
// all three measurable terms.
func (w *world) partnershipOffer() service.PartnershipOfferObject {
	offer := "https://remote.example/activities/p1"
	return service.PartnershipOfferObject{Partnership: &models.Partnership{ID: "01jpartner", OfferURI: &offer,
		Pledge: "We give back.", Terms: "€100 and 10 hours a month, 2.5 % of revenue",
		TermsMinor: 10000, TermsCurrency: "EUR", TermsHours: 10, TermsPercentBP: 250}, Organization: w.bob, Community: w.group}
}

// checkPartnershipAgreement: our Agreement reads back as the same request.
func checkPartnershipAgreement(t *testing.T, w *world, o *vocab.Object) {
	t.Helper()
	p := w.partnershipOffer()
	check(t, "id", o.ID, *p.Partnership.OfferURI+"#agreement")
	check(t, "type", o.Type, "Agreement")
	in, ok := InboundPartnership(&vocab.Object{ID: *p.Partnership.OfferURI, Type: "Offer", Actor: w.bob.URI,
		Target: &vocab.Object{ID: w.group.URI}, Object: o})
	check(t, "a partnership", ok, true)
	check(t, "community", in.Community, w.group.URI)
	check(t, "provider", in.Provider, w.bob.URI)
	check(t, "pledge", in.Pledge, "We give back.")
	check(t, "terms", in.Terms, p.Partnership.Terms)
	check(t, "structured", in.Structured, service.TermsInput{Amount: "100.00", Currency: "EUR", Hours: "10", Percent: "2.50"})
	_, pledge := InboundPledge(&vocab.Object{ID: *p.Partnership.OfferURI, Type: "Offer", Object: o})
	check(t, "also read as a pledge", pledge, true) // InboundPartnership is asked first
}

// TestInboundPartnershipReadsOnlyPartnerships: an Agreement without
// commonsType Partnership (a pledge) is not a partnership request; a
// Commitment by someone else is reported as its provider.
func TestInboundPartnershipReadsOnlyPartnerships(t *testing.T) {
	w := newWorld()
	pl := roundTrip(t, Agreement(w.pledgeOffer()))
	if _, ok := InboundPartnership(&vocab.Object{ID: "https://remote.example/o/1", Type: "Offer", Object: pl}); ok {
		t.Fatal("a pledge read as a partnership")
	}
	o := roundTrip(t, PartnershipAgreement(w.partnershipOffer()))
	list := o.Raw["stipulates"].([]any)
	list[1].(map[string]any)["provider"] = "https://elsewhere.example/users/eve"
	in, _ := InboundPartnership(&vocab.Object{ID: "https://remote.example/o/1", Type: "Offer", Actor: w.bob.URI, Object: o})
	check(t, "provider", in.Provider, "https://elsewhere.example/users/eve")
}
