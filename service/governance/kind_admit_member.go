package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// admit_member: args {"member"}; the member's pending membership request is
// accepted (Accept{Join} to a remote member), as a maintainer's approval does.
type admitMember struct{}

func init() { register(admitMember{}) }

func (admitMember) Name() string { return "admit_member" }

func (admitMember) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	_, who, m, err := requestedMember(ctx, g, group, raw, noRole("admit_member", ""))
	if err != nil {
		return nil, err
	}
	if m == nil || m.State != models.MembershipPending {
		return nil, errs.Unprocessable("%s has no pending membership request", who.URI)
	}
	return mustJSON(memberArgs{Member: who.URI}), nil
}

func (admitMember) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	_, who, err := appliedMember(ctx, tx, p)
	if err != nil {
		return "", err
	}
	if err := g.d.Communities.AdmitDecided(ctx, tx, group, who, p.AuthorID); err != nil {
		return "", err
	}
	return who.URI + " is admitted as a member.", nil
}
