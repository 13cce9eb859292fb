package governance

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// motion: a decision with no effect; the outcome statement is the record.
type motion struct{}

func init() { register(motion{}) }

func (motion) Name() string { return "motion" }

func (motion) Validate(_ context.Context, _ *Governance, _ *models.Actor, args json.RawMessage) (json.RawMessage, error) {
	var none struct{}
	if err := decodeArgs(args, &none); err != nil {
		return nil, err
	}
	return json.RawMessage("{}"), nil
}

func (motion) Apply(context.Context, *store.Store, *Governance, *models.Actor, *models.Proposal) (string, error) {
	return "The motion is adopted.", nil
}
