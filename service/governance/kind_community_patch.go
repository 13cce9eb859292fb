package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// amend_charter: args {"charter", "licence"} (either or both); change_settings:
// args are the other community settings (name, summary, links, posting,
// offer and membership policies, members_public, approve_followers, weights),
// as PATCH /communities/{handle} takes them. At close the community is
// updated through the communities domain: a new version in the charter
// history naming the proposal, and Update{Group} to followers and remote
// members, with the proposal as its context.
type communityPatch struct {
	name  string
	terms bool
}

func init() {
	register(communityPatch{name: "amend_charter", terms: true})
	register(communityPatch{name: "change_settings", terms: false})
}

func (k communityPatch) Name() string { return k.name }

func (k communityPatch) Validate(_ context.Context, g *Governance, _ *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	return g.d.Communities.CheckPatch(raw, k.terms)
}

func (k communityPatch) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	if err := g.d.Communities.UpdateDecided(ctx, tx, group, json.RawMessage(p.Args), p.AuthorID, p.ID); err != nil {
		return "", err
	}
	if k.terms {
		return "The charter is amended.", nil
	}
	return "The community's settings are changed.", nil
}
