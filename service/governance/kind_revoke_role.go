package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// revoke_role: args {"member"}; a maintainer or steward becomes a plain member,
// federated as Remove from the moderators collection. The last steward cannot
// be revoked (the outcome says so).
type revokeRole struct{}

func init() { register(revokeRole{}) }

func (revokeRole) Name() string { return "revoke_role" }

func (revokeRole) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	_, who, m, err := requestedMember(ctx, g, group, raw, noRole("revoke_role", ": the member becomes a plain member"))
	if err != nil {
		return nil, err
	}
	if m == nil || m.State != models.MembershipActive || m.Role == models.RoleCommunityMember {
		return nil, errs.Unprocessable("%s holds no role to revoke", who.URI)
	}
	return mustJSON(memberArgs{Member: who.URI}), nil
}

func (revokeRole) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	_, who, err := appliedMember(ctx, tx, p)
	if err != nil {
		return "", err
	}
	if err := g.d.Communities.SetRoleDecided(ctx, tx, group, who, models.RoleCommunityMember, p.AuthorID); err != nil {
		return "", err
	}
	return who.URI + " is now a member without a role.", nil
}
