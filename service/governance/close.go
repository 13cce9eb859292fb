package governance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// errAlreadyClosed ends a close that another worker (or a withdrawal) beat.
var errAlreadyClosed = errors.New("governance: proposal already closed")

// CloseJob runs a CloseJob (registered on the queue by app).
func (g *Governance) RunCloseJob(ctx context.Context, job CloseJob) error {
	_, err := g.Close(ctx, job.ProposalID)
	return err
}

// Close decides an open proposal whose time is up: tally, state, outcome and
// the kind's effect in one transaction. The proposal's row is taken first by a
// conditional update (open only), so a vote being recorded either committed
// before (and is counted) or is refused after; of two closes at once, one
// decides and the other finds it decided and does nothing (closed = false).
// A proposal whose time is not up yet is scheduled again.
func (g *Governance) Close(ctx context.Context, id string) (closed bool, err error) {
	p, err := g.d.Store.ProposalByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil // deleted: nothing to close
	}
	if err != nil {
		return false, err
	}
	if p.State != models.ProposalOpen {
		return false, nil
	}
	now := g.d.Now()
	if now.Before(p.ClosesAt) {
		err := g.d.Store.Tx(ctx, func(tx *store.Store) error {
			return g.d.Jobs.ScheduleAt(ctx, tx, CloseJob{ProposalID: p.ID}, p.ClosesAt)
		})
		return false, err
	}
	group, err := g.d.Store.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return false, err
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.TransitionIf(ctx, &models.Proposal{}, p.ID, store.Guard{"state": models.ProposalOpen},
			map[string]any{"updated_at": now}); core.LostRace(err) {
			return errAlreadyClosed
		} else if err != nil {
			return err
		}
		counts, eligible, err := tx.CountBallots(ctx, p)
		if err != nil {
			return err
		}
		res := Tally(rulesOf(p), byOption(counts), eligible)
		outcome := describe(p, res)
		err = tx.TransitionIf(ctx, &models.Proposal{}, p.ID, store.Guard{"state": models.ProposalOpen},
			map[string]any{"state": res.State, "closed_at": now, "outcome": outcome, "tally": string(mustJSON(res.Counts))})
		if core.LostRace(err) {
			return errAlreadyClosed
		} else if err != nil {
			return err
		}
		p.State, p.ClosedAt, p.Outcome = res.State, &now, outcome
		if err := g.publishQuestion(ctx, tx, core.TypeUpdate, group, p); err != nil {
			return err
		}
		if res.State == models.ProposalPassed {
			kind, ok := kinds[p.Kind]
			if !ok {
				return fmt.Errorf("governance: unknown kind %q", p.Kind)
			}
			done, err := kind.Apply(ctx, tx, g, group, p)
			var e *errs.Error
			switch {
			case err == nil:
				outcome += " " + done
			case errors.As(err, &e) && e.Status < http.StatusInternalServerError:
				outcome += " The effect could not be carried out: " + e.Message + "."
			default:
				return err
			}
			if err := tx.TransitionIf(ctx, &models.Proposal{}, p.ID, store.Guard{"state": res.State},
				map[string]any{"outcome": outcome}); err != nil {
				return err
			}
		}
		return g.publishOutcome(ctx, tx, group, p, outcome, now)
	})
	if errors.Is(err, errAlreadyClosed) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	g.d.Log.Info("proposal closed", "id", p.ID)
	return true, nil
}

func rulesOf(p *models.Proposal) Rules {
	return Rules{Method: p.Method, QuorumNum: int64(p.QuorumNum), QuorumDen: int64(p.QuorumDen),
		ThresholdNum: int64(p.ThresholdNum), ThresholdDen: int64(p.ThresholdDen)}
}

// describe says the result in words: the decision, the counts and the
// turnout against the electorate.
func describe(p *models.Proposal, r Result) string {
	var b strings.Builder
	switch r.State {
	case models.ProposalPassed:
		b.WriteString("Passed.")
	case models.ProposalFailedNoQuorum:
		fmt.Fprintf(&b, "Failed: the quorum of %d/%d of the electorate was not reached.", p.QuorumNum, p.QuorumDen)
	default:
		b.WriteString("Failed.")
	}
	var parts []string
	for _, o := range Options(p) {
		parts = append(parts, fmt.Sprintf("%s %d", o, r.Counts[o]))
	}
	fmt.Fprintf(&b, " %s; %d of %d eligible voters voted.", strings.Join(parts, ", "), r.Cast, r.Eligible)
	return b.String()
}
