package governance

import (
	"context"
	"encoding/json"
	"errors"
	"sort"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// KindDefaults are the method and parameters a community's proposals of one
// kind get unless their author chooses otherwise (the form is prefilled with
// them).
type KindDefaults struct {
	Method        string `json:"method"`
	QuorumNum     int64  `json:"quorum_num"`
	QuorumDen     int64  `json:"quorum_den"`
	QuorumKind    string `json:"quorum_kind"`
	ThresholdNum  int64  `json:"threshold_num"`
	ThresholdDen  int64  `json:"threshold_den"`
	ThresholdBase string `json:"threshold_base"`
	Block         bool   `json:"block"`
	WindowHours   int64  `json:"window_hours"`
}

// Settings are a community's governance settings.
type Settings struct {
	// WhoMayPropose: members (the default), maintainers or stewards.
	WhoMayPropose string `json:"who_may_propose"`
	// Entrenched: the settings change only by a passed
	// change_governance_settings proposal (set once by the stewards or by
	// proposal; only a proposal can lift it).
	Entrenched bool `json:"entrenched"`
	// ContributionsByProposal: a contribution is accepted only by a passed
	// accept_contribution proposal, not by a maintainer alone.
	ContributionsByProposal bool `json:"contributions_by_proposal"`
	// LazyEscalation: what a valid objection to a lazy consensus does — fail,
	// or open a majority vote on the same motion.
	LazyEscalation string `json:"lazy_escalation"`
	// Kinds are the defaults per kind (every registered kind is listed).
	Kinds map[string]KindDefaults `json:"kinds"`
}

func majorityDefaults(hours int64) KindDefaults {
	return KindDefaults{Method: MethodMajority, QuorumNum: 1, QuorumDen: 3, QuorumKind: QuorumParticipation,
		ThresholdNum: 1, ThresholdDen: 2, ThresholdBase: BaseCast, WindowHours: hours}
}

// builtinDefaults are the defaults: admit member by majority in 72 h;
// amend charter (and settings) by 2/3 of cast with a quorum of 1/2 in 14
// days; change governance settings by 2/3 of the eligible; removing a member
// by 2/3 of cast with a quorum of 1/2 in 7 days. Other kinds (the economy's
// too): majority, quorum 1/3, 72 h.
func builtinDefaults(kind string) KindDefaults {
	switch kind {
	case "amend_charter", "change_settings":
		return KindDefaults{Method: MethodSupermajority, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumParticipation,
			ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseCast, WindowHours: 14 * 24}
	case "change_governance_settings":
		return KindDefaults{Method: MethodSupermajority, QuorumNum: 0, QuorumDen: 1, QuorumKind: QuorumParticipation,
			ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseEligible, WindowHours: 14 * 24}
	case "remove_member":
		return KindDefaults{Method: MethodSupermajority, QuorumNum: 1, QuorumDen: 2, QuorumKind: QuorumParticipation,
			ThresholdNum: 2, ThresholdDen: 3, ThresholdBase: BaseCast, WindowHours: 7 * 24}
	}
	return majorityDefaults(72)
}

// DefaultSettings are the settings of a community that never changed them.
func DefaultSettings() Settings {
	s := Settings{WhoMayPropose: models.ProposersMembers, LazyEscalation: EscalateFail, Kinds: map[string]KindDefaults{}}
	for _, k := range Kinds() {
		s.Kinds[k] = builtinDefaults(k)
	}
	return s
}

// normalise checks settings and fills what is missing from the defaults.
func (s *Settings) normalise() error {
	switch s.WhoMayPropose {
	case "":
		s.WhoMayPropose = models.ProposersMembers
	case models.ProposersMembers, models.ProposersMaintainers, models.ProposersStewards:
	default:
		return errs.Unprocessable("who_may_propose must be members, maintainers or stewards")
	}
	switch s.LazyEscalation {
	case "":
		s.LazyEscalation = EscalateFail
	case EscalateFail, EscalateMajority:
	default:
		return errs.Unprocessable("lazy_escalation must be fail or majority")
	}
	if s.Kinds == nil {
		s.Kinds = map[string]KindDefaults{}
	}
	for k, d := range s.Kinds {
		if _, ok := kinds[k]; !ok {
			return errs.Unprocessable("unknown kind %q", k)
		}
		in := ProposalInput{Method: d.Method, QuorumNum: d.QuorumNum, QuorumDen: d.QuorumDen, QuorumKind: d.QuorumKind,
			ThresholdNum: d.ThresholdNum, ThresholdDen: d.ThresholdDen, ThresholdBase: d.ThresholdBase, Block: d.Block}
		if d.Method == MethodChoice {
			return errs.Unprocessable("%s: choice is chosen per proposal, not a default", k)
		}
		if err := in.normaliseMethod(); err != nil {
			return errs.Unprocessable("%s: %s", k, errs.Message(err))
		}
		if d.WindowHours < int64(MinWindow.Hours()) || d.WindowHours > int64(MaxWindow.Hours()) {
			return errs.Unprocessable("%s: window_hours must be between 1 and %d", k, int64(MaxWindow.Hours()))
		}
		if in.Method == MethodLazyConsensus && d.WindowHours < int64(MinLazyWindow.Hours()) {
			return errs.Unprocessable("%s: a lazy consensus runs at least 72 hours", k)
		}
		s.Kinds[k] = KindDefaults{Method: in.Method, QuorumNum: in.QuorumNum, QuorumDen: in.QuorumDen, QuorumKind: in.QuorumKind,
			ThresholdNum: in.ThresholdNum, ThresholdDen: in.ThresholdDen, ThresholdBase: in.ThresholdBase, Block: in.Block,
			WindowHours: d.WindowHours}
	}
	for _, k := range Kinds() {
		if _, ok := s.Kinds[k]; !ok {
			s.Kinds[k] = builtinDefaults(k)
		}
	}
	return nil
}

type settingsReader interface {
	GovernanceSettingsOf(ctx context.Context, communityID string) (*models.GovernanceSettings, error)
}

// settingsOf reads a community's settings (the defaults when it has none).
func settingsOf(ctx context.Context, st settingsReader, communityID string) (Settings, error) {
	row, err := st.GovernanceSettingsOf(ctx, communityID)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, err
	}
	s := Settings{WhoMayPropose: row.WhoMayPropose, Entrenched: row.Entrenched, ContributionsByProposal: row.ContributionsByProposal,
		LazyEscalation: row.LazyEscalation}
	_ = json.Unmarshal([]byte(row.Kinds), &s.Kinds)
	if err := s.normalise(); err != nil {
		// A kind removed from the code since: keep what still reads.
		for k := range s.Kinds {
			if _, ok := kinds[k]; !ok {
				delete(s.Kinds, k)
			}
		}
		_ = s.normalise()
	}
	return s, nil
}

func settingsRow(communityID string, s Settings) *models.GovernanceSettings {
	return &models.GovernanceSettings{CommunityID: communityID, WhoMayPropose: s.WhoMayPropose, Entrenched: s.Entrenched,
		ContributionsByProposal: s.ContributionsByProposal, LazyEscalation: s.LazyEscalation, Kinds: string(mustJSON(s.Kinds))}
}

// Settings returns a local community's governance settings.
func (g *Governance) Settings(ctx context.Context, group *models.Actor) (Settings, error) {
	if group == nil || !group.Local() || group.Type != models.ActorGroup {
		return Settings{}, errs.NotFound("not a local community")
	}
	s, err := settingsOf(ctx, g.d.Store, group.ID)
	if err != nil {
		return Settings{}, errs.Internal(err)
	}
	return s, nil
}

// UpdateSettings changes a community's governance settings directly: its
// stewards may, until the settings are entrenched; from then on only a
// change_governance_settings proposal can (403 here).
func (g *Governance) UpdateSettings(ctx context.Context, by, group *models.Actor, in Settings) (Settings, error) {
	cur, err := g.Settings(ctx, group)
	if err != nil {
		return Settings{}, err
	}
	if by == nil || g.d.Communities.Role(ctx, group, by) != models.RoleCommunitySteward {
		return Settings{}, errs.Forbidden("only stewards change the governance settings")
	}
	if cur.Entrenched {
		return Settings{}, errs.Forbidden("these settings change only by a change_governance_settings proposal")
	}
	if err := in.normalise(); err != nil {
		return Settings{}, err
	}
	row := settingsRow(group.ID, in)
	row.UpdatedAt = g.d.Now()
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		// Entrenchment read again inside the transaction: a proposal that
		// entrenched them meanwhile wins.
		again, err := settingsOf(ctx, tx, group.ID)
		if err != nil {
			return err
		}
		if again.Entrenched {
			return errs.Forbidden("these settings change only by a change_governance_settings proposal")
		}
		return tx.PutGovernanceSettings(ctx, row)
	})
	if err != nil {
		return Settings{}, errs.Internal(err)
	}
	return g.Settings(ctx, group)
}

// SettingsKinds lists the kinds in a stable order (for forms).
func (s Settings) SortedKinds() []string {
	out := make([]string, 0, len(s.Kinds))
	for k := range s.Kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// mayPropose reports whether role may open proposals under the settings.
func mayPropose(s Settings, role string) bool {
	switch s.WhoMayPropose {
	case models.ProposersStewards:
		return role == models.RoleCommunitySteward
	case models.ProposersMaintainers:
		return role == models.RoleCommunitySteward || role == models.RoleCommunityMaintainer
	}
	return role != ""
}
