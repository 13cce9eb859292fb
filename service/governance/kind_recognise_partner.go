package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// recognise_partner (issue 12): args {"organization"} (a handle or an actor
// URI; stored as the URI). When it passes, the community recognises the
// organization as its partner: its open request (with the reciprocity
// pledge) is accepted — or a partnership without a pledge is recorded when it
// never asked — and the Group Follows the organization and Adds it to its
// partners collection (the economy domain's RecogniseDecided, through the
// Partners port).
type recognisePartner struct{}

func init() { register(recognisePartner{}) }

func (recognisePartner) Name() string { return "recognise_partner" }

type partnerArgs struct {
	Organization string `json:"organization"`
}

func (recognisePartner) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	var a partnerArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if g.d.Partners == nil {
		return nil, errs.Unprocessable("partnerships are not available")
	}
	org, err := g.findActor(ctx, a.Organization)
	if err != nil {
		return nil, err
	}
	if org.Type != models.ActorOrganization {
		return nil, errs.Unprocessable("%s is not an organization", org.URI)
	}
	if g.d.Partners.IsPartner(ctx, group, org) {
		return nil, errs.Unprocessable("%s is already a partner", org.URI)
	}
	return mustJSON(partnerArgs{Organization: org.URI}), nil
}

func (recognisePartner) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	var a partnerArgs
	if err := json.Unmarshal([]byte(p.Args), &a); err != nil {
		return "", err
	}
	if g.d.Partners == nil {
		return "", errs.Conflict("partnerships are not available")
	}
	org, err := tx.ActorByURI(ctx, a.Organization)
	if err != nil {
		return "", errs.Conflict("the organization %s is no longer known", a.Organization)
	}
	if err := g.d.Partners.RecogniseDecided(ctx, tx, group, org, p.AuthorID, p.ID); err != nil {
		return "", err
	}
	return org.URI + " is recognised as a partner.", nil
}
