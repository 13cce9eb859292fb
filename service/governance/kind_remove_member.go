package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// remove_member: args {"member"}; the member's membership ends, federated as
// Remove{member, target: the members collection}. The last steward cannot be
// removed (the outcome says so).
type removeMember struct{}

func init() { register(removeMember{}) }

func (removeMember) Name() string { return "remove_member" }

func (removeMember) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	_, who, m, err := requestedMember(ctx, g, group, raw, noRole("remove_member", ""))
	if err != nil {
		return nil, err
	}
	if m == nil || m.State != models.MembershipActive {
		return nil, errs.Unprocessable("%s is not a member", who.URI)
	}
	return mustJSON(memberArgs{Member: who.URI}), nil
}

func (removeMember) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	_, who, err := appliedMember(ctx, tx, p)
	if err != nil {
		return "", err
	}
	if err := g.d.Communities.RemoveDecided(ctx, tx, group, who, p.AuthorID); err != nil {
		return "", err
	}
	return who.URI + " is no longer a member.", nil
}
