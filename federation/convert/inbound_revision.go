package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

// RevisedContribution maps a remote Update (act) of a contribution object (o,
// embedded or fetched, checked for origin by the caller) onto a revision: the
// same reading of title, body, links and Documents as OfferedContribution.
func RevisedContribution(act, o *vocab.Object) (service.RevisionInput, *service.RemoteRevision) {
	in, offer := OfferedContribution(act, o)
	return service.RevisionInput{Title: in.Title, Body: in.Body, Links: in.Links},
		&service.RemoteRevision{ActivityURI: act.ID, BodyHTML: offer.BodyHTML, Attachments: offer.Attachments}
}
