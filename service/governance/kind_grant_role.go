package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// grant_role: args {"member", "role": "maintainer"|"steward"}; the member gets
// the role, federated as Add to the community's moderators collection.
type grantRole struct{}

func init() { register(grantRole{}) }

func (grantRole) Name() string { return "grant_role" }

func (grantRole) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	a, who, m, err := requestedMember(ctx, g, group, raw, func(role string) error {
		if role != models.RoleCommunityMaintainer && role != models.RoleCommunitySteward {
			return errs.Unprocessable("role must be maintainer or steward")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m == nil || m.State != models.MembershipActive {
		return nil, errs.Unprocessable("%s is not a member", who.URI)
	}
	if m.Role == a.Role {
		return nil, errs.Unprocessable("%s is already a %s", who.URI, a.Role)
	}
	return mustJSON(memberArgs{Member: who.URI, Role: a.Role}), nil
}

func (grantRole) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	a, who, err := appliedMember(ctx, tx, p)
	if err != nil {
		return "", err
	}
	if err := g.d.Communities.SetRoleDecided(ctx, tx, group, who, a.Role, p.AuthorID); err != nil {
		return "", err
	}
	return who.URI + " is now a " + a.Role + ".", nil
}
