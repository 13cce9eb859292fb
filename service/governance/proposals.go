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
)

// ProposalInput is what a member submits to open a proposal. Zero values take
// the defaults: majority, quorum 1/3 of E, supermajority 2/3, 72 hours.
type ProposalInput struct {
	Kind         string          `json:"kind"`
	Title        string          `json:"title"`
	Motion       string          `json:"motion"`
	Method       string          `json:"method"`
	QuorumNum    int64           `json:"quorum_num"`
	QuorumDen    int64           `json:"quorum_den"`
	ThresholdNum int64           `json:"threshold_num"`
	ThresholdDen int64           `json:"threshold_den"`
	ClosesAt     time.Time       `json:"closes_at"`
	Args         json.RawMessage `json:"args"`
}

func (in *ProposalInput) normalise(now time.Time) error {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > MaxTitle {
		return errs.Unprocessable("a title of 1 to %d characters is required", MaxTitle)
	}
	if utf8.RuneCountInString(in.Motion) > MaxMotion {
		return errs.Unprocessable("the motion is longer than %d characters", MaxMotion)
	}
	if in.Kind == "" {
		in.Kind = "motion"
	}
	if in.Method == "" {
		in.Method = MethodMajority
	}
	if in.QuorumDen == 0 && in.QuorumNum == 0 {
		in.QuorumNum, in.QuorumDen = 1, 3
	}
	if in.QuorumDen <= 0 || in.QuorumNum < 0 || in.QuorumNum > in.QuorumDen {
		return errs.Unprocessable("quorum must be a fraction between 0 and 1 (quorum_num/quorum_den)")
	}
	switch in.Method {
	case MethodMajority:
		in.ThresholdNum, in.ThresholdDen = 1, 2
	case MethodSupermajority:
		if in.ThresholdDen == 0 && in.ThresholdNum == 0 {
			in.ThresholdNum, in.ThresholdDen = 2, 3
		}
		if in.ThresholdDen <= 0 || in.ThresholdNum > in.ThresholdDen || 2*in.ThresholdNum <= in.ThresholdDen {
			return errs.Unprocessable("a supermajority threshold must be above 1/2 and at most 1 (threshold_num/threshold_den)")
		}
	default:
		return errs.Unprocessable("method must be majority or supermajority")
	}
	if in.ClosesAt.IsZero() {
		in.ClosesAt = now.Add(DefaultWindow)
	}
	in.ClosesAt = in.ClosesAt.UTC().Truncate(time.Second)
	if in.ClosesAt.Before(now.Add(MinWindow)) || in.ClosesAt.After(now.Add(MaxWindow)) {
		return errs.Unprocessable("closes_at must be between one minute and 90 days from now")
	}
	return nil
}

// CloseJob closes a proposal at its end time (the Jobs port).
type CloseJob struct {
	ProposalID string `json:"proposal_id"`
}

// Kind implements core.Job.
func (CloseJob) Kind() string { return "close_proposal" }

// Propose opens a proposal in a local community: any active member may. The
// electorate is frozen and the close scheduled in the same transaction.
func (g *Governance) Propose(ctx context.Context, author, group *models.Actor, in ProposalInput) (*models.Proposal, error) {
	if group == nil || !group.Local() || group.Type != models.ActorGroup {
		return nil, errs.NotFound("not a local community")
	}
	if author == nil || g.d.Communities.Role(ctx, group, author) == "" {
		return nil, errs.Forbidden("only members may open proposals")
	}
	now := g.d.Now()
	if err := in.normalise(now); err != nil {
		return nil, err
	}
	kind, ok := kinds[in.Kind]
	if !ok {
		return nil, errs.Unprocessable("kind must be one of %s", strings.Join(Kinds(), ", "))
	}
	args, err := kind.Validate(ctx, g, group, in.Args)
	if err != nil {
		return nil, err
	}
	if _, none := g.d.Jobs.(core.NoJobs); g.d.Jobs == nil || none {
		return nil, errs.New(503, "proposals need the job queue (they close at their end time)")
	}
	id := models.NewID()
	p := &models.Proposal{
		ID: id, URI: g.QuestionPrefix() + id, CommunityID: group.ID, AuthorID: author.ID,
		Kind: kind.Name(), Title: in.Title, Motion: in.Motion, MotionHTML: content.Markdown(in.Motion),
		Method: in.Method, QuorumNum: int(in.QuorumNum), QuorumDen: int(in.QuorumDen),
		ThresholdNum: int(in.ThresholdNum), ThresholdDen: int(in.ThresholdDen),
		Options: string(mustJSON([]string{OptionYes, OptionNo, OptionAbstain})), Args: string(args),
		OpensAt: now, ClosesAt: in.ClosesAt, State: models.ProposalOpen,
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateProposal(ctx, p); err != nil {
			return err
		}
		if err := g.d.Jobs.ScheduleAt(ctx, tx, CloseJob{ProposalID: p.ID}, p.ClosesAt); err != nil {
			return err
		}
		return g.publishQuestion(ctx, tx, core.TypeCreate, group, p)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	g.d.Log.Info("proposal opened", "id", p.ID, "community", group.Username, "kind", p.Kind)
	return p, nil
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
	now := g.d.Now()
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		err := tx.TransitionIf(ctx, &models.Proposal{}, p.ID,
			store.Guard{"state": models.ProposalOpen},
			map[string]any{"state": models.ProposalWithdrawn, "closed_at": now, "outcome": "Withdrawn before the vote closed."})
		if core.LostRace(err) {
			return errs.Conflict("this proposal is already closed")
		} else if err != nil {
			return err
		}
		p.State, p.ClosedAt = models.ProposalWithdrawn, &now
		return g.publishQuestion(ctx, tx, core.TypeUpdate, group, p)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return g.d.Store.ProposalByID(ctx, id)
}

// localHost is this instance's host (a handle "user@host" with it is local).
func (g *Governance) localHost() string {
	u, err := url.Parse(g.d.URLs.Base)
	if err != nil {
		return ""
	}
	return u.Host
}
