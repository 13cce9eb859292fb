package governance

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// accept_contribution: args {"contribution": id}; the open contribution is
// accepted as a maintainer's accept does (ledger entries, Accept, Add to the
// commons, Announce). A community whose settings say contributions require a
// proposal accepts them only this way.
type acceptContribution struct{}

func init() { register(acceptContribution{}) }

func (acceptContribution) Name() string { return "accept_contribution" }

type contributionArgs struct {
	Contribution string `json:"contribution"`
}

func (acceptContribution) Validate(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	var a contributionArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	a.Contribution = strings.TrimSpace(a.Contribution)
	co, err := g.d.Store.ContributionByID(ctx, a.Contribution)
	if a.Contribution == "" || err != nil || co.CommunityID != group.ID {
		return nil, errs.Unprocessable("no contribution %q in this community", a.Contribution)
	}
	if co.State != models.ContributionOpen && co.State != models.ContributionChangesRequested {
		return nil, errs.Unprocessable("the contribution was already %s", co.State)
	}
	return mustJSON(a), nil
}

func (acceptContribution) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	var a contributionArgs
	if err := json.Unmarshal([]byte(p.Args), &a); err != nil {
		return "", err
	}
	if err := g.d.Communities.AcceptDecided(ctx, tx, group, a.Contribution, p.AuthorID); err != nil {
		return "", err
	}
	return "The contribution " + a.Contribution + " is accepted into the commons.", nil
}
