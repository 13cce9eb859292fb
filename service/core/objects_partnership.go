package core

import "github.com/commonsd/commonsd/models"

// PartnershipOfferObject is a partnership asked for across instances (issue
// 12): Offer{Agreement} by the organization to the community, the Agreement
// carrying the reciprocity pledge in words and its measurable terms as
// Commitments. It is the object of the organization's Offer and of the
// community's Accept or Reject.
type PartnershipOfferObject struct {
	Partnership             *models.Partnership
	Organization, Community *models.Actor
}

func (p PartnershipOfferObject) ObjectID() string { return *p.Partnership.OfferURI }

// PartnershipAgreementObject is the Agreement alone: the object of the
// organization's Offer.
type PartnershipAgreementObject struct{ PartnershipOfferObject }

func (a PartnershipAgreementObject) ObjectID() string { return *a.Partnership.OfferURI + "#agreement" }
