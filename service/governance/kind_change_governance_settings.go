package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// change_governance_settings: args are the complete new Settings (who may
// propose, entrenchment, contributions by proposal, lazy-consensus
// escalation, defaults per kind); at close they replace the community's
// settings. The only way to change entrenched settings, including lifting
// the entrenchment.
type changeGovernanceSettings struct{}

func init() { register(changeGovernanceSettings{}) }

func (changeGovernanceSettings) Name() string { return "change_governance_settings" }

func (changeGovernanceSettings) Validate(_ context.Context, _ *Governance, _ *models.Actor, raw json.RawMessage) (json.RawMessage, error) {
	var s Settings
	if err := decodeArgs(raw, &s); err != nil {
		return nil, err
	}
	if err := s.normalise(); err != nil {
		return nil, err
	}
	return mustJSON(s), nil
}

func (changeGovernanceSettings) Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error) {
	var s Settings
	if err := json.Unmarshal([]byte(p.Args), &s); err != nil {
		return "", err
	}
	if err := s.normalise(); err != nil {
		return "", err
	}
	row := settingsRow(group.ID, s)
	row.UpdatedAt = g.d.Now()
	if err := tx.PutGovernanceSettings(ctx, row); err != nil {
		return "", err
	}
	return "The governance settings are changed.", nil
}
