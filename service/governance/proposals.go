package governance

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Limits and defaults of a proposal.
const (
	MaxTitle      = 300
	MaxMotion     = 20000
	DefaultWindow = 72 * time.Hour
	MinWindow     = time.Minute
	MaxWindow     = 90 * 24 * time.Hour
	// MinLazyWindow: a lazy consensus gives everyone at least 72 hours to
	// object.
	MinLazyWindow = 72 * time.Hour
	// MaxOptions and MaxOptionLen are Mastodon's own poll limits.
	MaxOptions   = 4
	MaxOptionLen = 50
)

// ProposalInput is what a member submits to open a proposal. An empty Method
// takes the method and all its parameters from the community's defaults for
// the kind (governance settings); a zero ClosesAt takes the kind's window.
type ProposalInput struct {
	Kind          string          `json:"kind"`
	Title         string          `json:"title"`
	Motion        string          `json:"motion"`
	Method        string          `json:"method"`
	QuorumNum     int64           `json:"quorum_num"`
	QuorumDen     int64           `json:"quorum_den"`
	QuorumKind    string          `json:"quorum_kind"`
	ThresholdNum  int64           `json:"threshold_num"`
	ThresholdDen  int64           `json:"threshold_den"`
	ThresholdBase string          `json:"threshold_base"`
	Block         bool            `json:"block"`
	Choice        string          `json:"choice"`  // choice: oneOf (default) or anyOf
	Options       []string        `json:"options"` // choice: 2 to 4 options
	EarlyClose    bool            `json:"early_close"`
	BallotMode    string          `json:"ballot_mode"`
	ClosesAt      time.Time       `json:"closes_at"`
	Args          json.RawMessage `json:"args"`
}

// normaliseMethod checks the method and its parameters, filling zero values
// with the method's own defaults (quorum 1/3 of participation, supermajority
// 2/3 of cast).
func (in *ProposalInput) normaliseMethod() error {
	if in.Method == "" {
		in.Method = MethodMajority
	}
	if in.QuorumDen == 0 && in.QuorumNum == 0 {
		in.QuorumNum, in.QuorumDen = 1, 3
	}
	if in.QuorumDen <= 0 || in.QuorumNum < 0 || in.QuorumNum > in.QuorumDen {
		return errs.Unprocessable("quorum must be a fraction between 0 and 1 (quorum_num/quorum_den)")
	}
	switch in.QuorumKind {
	case "":
		in.QuorumKind = QuorumParticipation
	case QuorumParticipation, QuorumSupport:
	default:
		return errs.Unprocessable("quorum_kind must be participation or support")
	}
	if in.Method != MethodSupermajority {
		if in.ThresholdBase == BaseEligible || in.Block {
			return errs.Unprocessable("threshold_base and block belong to a supermajority")
		}
		in.ThresholdNum, in.ThresholdDen, in.ThresholdBase = 1, 2, BaseCast
	}
	switch in.Method {
	case MethodMajority, MethodConsent, MethodChoice:
	case MethodLazyConsensus:
		in.QuorumNum, in.QuorumDen, in.QuorumKind = 0, 1, QuorumParticipation // no quorum
	case MethodSupermajority:
		if in.ThresholdDen == 0 && in.ThresholdNum == 0 {
			in.ThresholdNum, in.ThresholdDen = 2, 3
		}
		if in.ThresholdDen <= 0 || in.ThresholdNum > in.ThresholdDen || 2*in.ThresholdNum <= in.ThresholdDen {
			return errs.Unprocessable("a supermajority threshold must be above 1/2 and at most 1 (threshold_num/threshold_den)")
		}
		switch in.ThresholdBase {
		case "":
			in.ThresholdBase = BaseCast
		case BaseCast, BaseEligible:
		default:
			return errs.Unprocessable("threshold_base must be cast or eligible")
		}
	default:
		return errs.Unprocessable("method must be majority, supermajority, consent, lazy_consensus or choice")
	}
	return nil
}

// optionsOf returns the options a proposal offers, per method.
func (in *ProposalInput) optionsOf() ([]string, error) {
	if in.Method != MethodChoice {
		if len(in.Options) > 0 || (in.Choice != "" && in.Choice != ChoiceOne) {
			return nil, errs.Unprocessable("options and anyOf belong to the choice method")
		}
		in.Choice = ChoiceOne
	}
	switch in.Method {
	case MethodSupermajority:
		if in.Block {
			return []string{OptionYes, OptionNo, OptionAbstain, OptionBlock}, nil
		}
		return []string{OptionYes, OptionNo, OptionAbstain}, nil
	case MethodConsent:
		return []string{OptionConsent, OptionObject}, nil
	case MethodLazyConsensus:
		return []string{OptionNoObjection, OptionObject}, nil
	case MethodChoice:
		switch in.Choice {
		case "":
			in.Choice = ChoiceOne
		case ChoiceOne, ChoiceAny:
		default:
			return nil, errs.Unprocessable("choice must be oneOf or anyOf")
		}
		var out []string
		seen := map[string]bool{}
		for _, o := range in.Options {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			if utf8.RuneCountInString(o) > MaxOptionLen || seen[o] {
				return nil, errs.Unprocessable("options must be distinct and at most %d characters", MaxOptionLen)
			}
			seen[o] = true
			out = append(out, o)
		}
		if len(out) < 2 || len(out) > MaxOptions {
			return nil, errs.Unprocessable("a choice has 2 to %d options", MaxOptions)
		}
		return out, nil
	}
	return []string{OptionYes, OptionNo, OptionAbstain}, nil
}

func (in *ProposalInput) normalise(now time.Time, defaults KindDefaults) error {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > MaxTitle {
		return errs.Unprocessable("a title of 1 to %d characters is required", MaxTitle)
	}
	if utf8.RuneCountInString(in.Motion) > MaxMotion {
		return errs.Unprocessable("the motion is longer than %d characters", MaxMotion)
	}
	// What the author left unset comes from the kind's defaults (the
	// community's governance settings): the method, the quorum, and the
	// threshold when the method is the default one.
	sameMethod := in.Method == "" || in.Method == defaults.Method
	if in.Method == "" {
		in.Method = defaults.Method
		in.Block = in.Block || defaults.Block
	}
	if in.QuorumNum == 0 && in.QuorumDen == 0 {
		in.QuorumNum, in.QuorumDen = defaults.QuorumNum, defaults.QuorumDen
		if in.QuorumNum == 0 && in.QuorumDen == 0 {
			in.QuorumDen = 1 // a default of no quorum stays no quorum
		}
	}
	if in.QuorumKind == "" {
		in.QuorumKind = defaults.QuorumKind
	}
	if sameMethod && in.Method == MethodSupermajority {
		if in.ThresholdNum == 0 && in.ThresholdDen == 0 {
			in.ThresholdNum, in.ThresholdDen = defaults.ThresholdNum, defaults.ThresholdDen
		}
		if in.ThresholdBase == "" {
			in.ThresholdBase = defaults.ThresholdBase
		}
	}
	if err := in.normaliseMethod(); err != nil {
		return err
	}
	if in.Method == MethodChoice && in.Kind != "motion" {
		return errs.Unprocessable("the choice method is for motions only (an effect needs a yes or no)")
	}
	switch in.BallotMode {
	case "":
		in.BallotMode = BallotConfidential
	case BallotConfidential, BallotOpen:
	default:
		return errs.Unprocessable("ballot_mode must be confidential or open")
	}
	if in.ClosesAt.IsZero() {
		window := time.Duration(defaults.WindowHours) * time.Hour
		if window <= 0 {
			window = DefaultWindow
		}
		if in.Method == MethodLazyConsensus && window < MinLazyWindow {
			window = MinLazyWindow
		}
		in.ClosesAt = now.Add(window)
	}
	in.ClosesAt = in.ClosesAt.UTC().Truncate(time.Second)
	if in.ClosesAt.Before(now.Add(MinWindow)) || in.ClosesAt.After(now.Add(MaxWindow)) {
		return errs.Unprocessable("closes_at must be between one minute and 90 days from now")
	}
	if in.Method == MethodLazyConsensus && in.ClosesAt.Before(now.Add(MinLazyWindow)) {
		return errs.Unprocessable("a lazy consensus stays open at least 72 hours")
	}
	if in.EarlyClose && (in.Method == MethodLazyConsensus || in.Choice == ChoiceAny) {
		return errs.Unprocessable("early_close does not apply to a lazy consensus or an anyOf choice")
	}
	return nil
}

// CloseJob closes a proposal at its end time (the Jobs port).
type CloseJob struct {
	ProposalID string `json:"proposal_id"`
}

// Kind implements core.Job.
func (CloseJob) Kind() string { return "close_proposal" }

// Propose opens a proposal in a local community: who may is the community's
// setting (members by default). The electorate is frozen and the close
// scheduled in the same transaction.
func (g *Governance) Propose(ctx context.Context, author, group *models.Actor, in ProposalInput) (*models.Proposal, error) {
	p, err := g.prepare(ctx, author, group, in)
	if err != nil {
		return nil, err
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error { return g.open(ctx, tx, group, p) })
	if err != nil {
		return nil, errs.Internal(err)
	}
	g.d.Log.Info("proposal opened", "id", p.ID, "community", group.Username, "kind", p.Kind)
	return p, nil
}

// Revise replaces an open proposal by a new revision: its options and motion
// never change while it is open (Mastodon resets a poll's votes when its
// options change), so its author withdraws it and opens the revision, linked
// to it (revision_of), in one transaction. The revision's voting starts
// afresh.
func (g *Governance) Revise(ctx context.Context, author *models.Actor, id string, in ProposalInput) (*models.Proposal, error) {
	old, err := g.d.Store.ProposalByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("proposal not found")
	}
	if author == nil || author.ID != old.AuthorID {
		return nil, errs.Forbidden("only the author revises a proposal")
	}
	group, err := g.d.Store.ActorByID(ctx, old.CommunityID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if in.Kind == "" {
		in.Kind = old.Kind
	}
	p, err := g.prepare(ctx, author, group, in)
	if err != nil {
		return nil, err
	}
	p.RevisionOf = old.ID
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := g.withdrawIn(ctx, tx, group, old, "Withdrawn for a revision: "+p.URI); err != nil {
			return err
		}
		return g.open(ctx, tx, group, p)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return p, nil
}

// prepare checks who may propose and the input, and builds the proposal.
func (g *Governance) prepare(ctx context.Context, author, group *models.Actor, in ProposalInput) (*models.Proposal, error) {
	if group == nil || !group.Local() || group.Type != models.ActorGroup {
		return nil, errs.NotFound("not a local community")
	}
	settings, err := settingsOf(ctx, g.d.Store, group.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	role := ""
	if author != nil {
		role = g.d.Communities.Role(ctx, group, author)
	}
	if role == "" {
		return nil, errs.Forbidden("only members may open proposals")
	}
	if !mayPropose(settings, role) {
		return nil, errs.Forbidden("in this community only %s may open proposals", settings.WhoMayPropose)
	}
	if in.Kind == "" {
		in.Kind = "motion"
	}
	kind, ok := kinds[in.Kind]
	if !ok {
		return nil, errs.Unprocessable("kind must be one of %s", strings.Join(Kinds(), ", "))
	}
	now := g.d.Now()
	if err := in.normalise(now, settings.Kinds[kind.Name()]); err != nil {
		return nil, err
	}
	options, err := in.optionsOf()
	if err != nil {
		return nil, err
	}
	args, err := kind.Validate(ctx, g, group, in.Args)
	if err != nil {
		return nil, err
	}
	if _, none := g.d.Jobs.(core.NoJobs); g.d.Jobs == nil || none {
		return nil, errs.New(503, "proposals need the job queue (they close at their end time)")
	}
	escalate := ""
	if in.Method == MethodLazyConsensus {
		escalate = settings.LazyEscalation
	}
	id := models.NewID()
	return &models.Proposal{
		ID: id, URI: g.QuestionPrefix() + id, CommunityID: group.ID, AuthorID: author.ID,
		Kind: kind.Name(), Title: in.Title, Motion: in.Motion, MotionHTML: content.Markdown(in.Motion),
		Method: in.Method, QuorumNum: int(in.QuorumNum), QuorumDen: int(in.QuorumDen), QuorumKind: in.QuorumKind,
		ThresholdNum: int(in.ThresholdNum), ThresholdDen: int(in.ThresholdDen), ThresholdBase: in.ThresholdBase, Block: in.Block,
		Choice: in.Choice, Escalate: escalate, EarlyClose: in.EarlyClose, BallotMode: in.BallotMode,
		Options: string(mustJSON(options)), Args: string(args),
		OpensAt: now, ClosesAt: in.ClosesAt, State: models.ProposalOpen,
	}, nil
}

// open stores p (freezing its electorate), schedules its close and sends the
// Question, in tx.
func (g *Governance) open(ctx context.Context, tx *store.Store, group *models.Actor, p *models.Proposal) error {
	if err := tx.CreateProposal(ctx, p); err != nil {
		return err
	}
	if err := g.d.Jobs.ScheduleAt(ctx, tx, CloseJob{ProposalID: p.ID}, p.ClosesAt); err != nil {
		return err
	}
	return g.publishQuestion(ctx, tx, core.TypeCreate, group, p)
}

// Withdraw ends an open proposal without a decision: its author or a steward
// of the community may, before close.
func (g *Governance) Withdraw(ctx context.Context, by *models.Actor, id string) (*models.Proposal, error) {
	p, err := g.d.Store.ProposalByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("proposal not found")
	}
	group, err := g.d.Store.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if by == nil || (by.ID != p.AuthorID && g.d.Communities.Role(ctx, group, by) != models.RoleCommunitySteward) {
		return nil, errs.Forbidden("only the author or a steward may withdraw a proposal")
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		return g.withdrawIn(ctx, tx, group, p, "Withdrawn before the vote closed.")
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return g.d.Store.ProposalByID(ctx, id)
}

// withdrawIn moves p open → withdrawn in tx and sends the closed Question.
func (g *Governance) withdrawIn(ctx context.Context, tx *store.Store, group *models.Actor, p *models.Proposal, outcome string) error {
	now := g.d.Now()
	err := tx.TransitionIf(ctx, &models.Proposal{}, p.ID,
		store.Guard{"state": models.ProposalOpen},
		map[string]any{"state": models.ProposalWithdrawn, "closed_at": now, "outcome": outcome})
	if core.LostRace(err) {
		return errs.Conflict("this proposal is already closed")
	} else if err != nil {
		return err
	}
	p.State, p.ClosedAt, p.Outcome = models.ProposalWithdrawn, &now, outcome
	return g.publishQuestion(ctx, tx, core.TypeUpdate, group, p)
}

// localHost is this instance's host (a handle "user@host" with it is local).
func (g *Governance) localHost() string {
	u, err := url.Parse(g.d.URLs.Base)
	if err != nil {
		return ""
	}
	return u.Host
}
