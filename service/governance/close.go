package governance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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

// errNotDue ends a close attempted before the proposal's time whose outcome
// can still change.
var errNotDue = errors.New("governance: not due")

// Close decides an open proposal whose time is up — or, on an early-close
// proposal, whose outcome can no longer change: tally, state, outcome and
// the kind's effect in one transaction. The proposal's row is taken first by
// a conditional update (open only), so a vote being recorded either committed
// before (and is counted) or is refused after; of two closes at once, one
// decides and the other finds it decided and does nothing (closed = false).
// A transaction that fails midway (a crash, a killed worker) leaves nothing
// behind and the job runs again. A proposal whose time is not up yet is
// scheduled again.
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
	early := now.Before(p.ClosesAt)
	if early && !p.EarlyClose {
		return false, g.reschedule(ctx, p)
	}
	group, err := g.d.Store.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return false, err
	}
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockOpenProposal(ctx, p.ID, now); core.LostRace(err) {
			return errAlreadyClosed
		} else if err != nil {
			return err
		}
		in, err := g.input(ctx, tx, p, now)
		if err != nil {
			return err
		}
		res := Tally(RulesOf(p), in)
		if early {
			var decided bool
			if res, decided = Decided(RulesOf(p), in); !decided {
				return errNotDue
			}
		}
		adv, err := tx.CountAdvisoryByInstance(ctx, p.ID)
		if err != nil {
			return err
		}
		outcome := describe(p, res, adv, early)
		err = tx.TransitionIf(ctx, &models.Proposal{}, p.ID, store.Guard{"state": models.ProposalOpen},
			map[string]any{"state": res.State, "closed_at": now, "outcome": outcome, "tally": string(mustJSON(res.Counts))})
		if core.LostRace(err) {
			return errAlreadyClosed
		} else if err != nil {
			return err
		}
		p.State, p.ClosedAt, p.Outcome = res.State, &now, outcome
		recipients, err := g.remoteAudience(ctx, tx, p)
		if err != nil {
			return err
		}
		// The final tallies are the ones just counted (the row is held).
		if err := g.sendQuestion(ctx, tx, core.TypeUpdate, group, questionOf(group, p, in), recipients); err != nil {
			return err
		}
		effect := ""
		switch {
		case res.State == models.ProposalPassed:
			kind, ok := kinds[p.Kind]
			if !ok {
				return fmt.Errorf("governance: unknown kind %q", p.Kind)
			}
			// Every activity the effect sends has the proposal as its context.
			done, err := kind.Apply(core.WithDecision(ctx, p.URI), tx, g, group, p)
			var e *errs.Error
			switch {
			case err == nil:
				effect = done
			case errors.As(err, &e) && e.Status < http.StatusInternalServerError:
				effect = "The effect could not be carried out: " + e.Message + "."
			default:
				return err
			}
		case res.Escalated:
			next, err := g.escalate(ctx, tx, group, p)
			if err != nil {
				return err
			}
			effect = "A valid objection was raised: the community now votes on it by majority: " + next.URI
		}
		if effect != "" {
			outcome += " " + effect
			if err := tx.TransitionIf(ctx, &models.Proposal{}, p.ID, store.Guard{"state": res.State},
				map[string]any{"outcome": outcome}); err != nil {
				return err
			}
			p.Outcome = outcome
		}
		return g.publishOutcome(ctx, tx, group, p, res, adv, effect, recipients, now)
	})
	if errors.Is(err, errAlreadyClosed) {
		return false, nil
	}
	if errors.Is(err, errNotDue) {
		return false, g.reschedule(ctx, p)
	}
	if err != nil {
		return false, err
	}
	g.d.Log.Info("proposal closed", "id", p.ID, "state", p.State)
	return true, nil
}

func (g *Governance) reschedule(ctx context.Context, p *models.Proposal) error {
	return g.d.Store.Tx(ctx, func(tx *store.Store) error {
		return g.d.Jobs.ScheduleAt(ctx, tx, CloseJob{ProposalID: p.ID}, p.ClosesAt)
	})
}

// input reads what the tally of p counts, in st (the close's transaction).
func (g *Governance) input(ctx context.Context, st *store.Store, p *models.Proposal, now time.Time) (Input, error) {
	counts, eligible, voters, err := st.CountBallots(ctx, p, p.Choice == ChoiceAny)
	if err != nil {
		return Input{}, err
	}
	in := Input{Counts: byOption(counts), Eligible: eligible, Voters: voters}
	if (p.Method == MethodConsent || p.Method == MethodLazyConsensus) && in.Counts[OptionObject] > 0 {
		if in.ValidObjections, err = st.CountValidObjections(ctx, p, OptionObject, now); err != nil {
			return Input{}, err
		}
	}
	return in, nil
}

// escalate opens the majority vote that follows a lazy consensus with a valid
// objection: same kind, motion and arguments, the kind's quorum from the
// settings when they name a majority or supermajority (else 1/3 of
// participation), and the electorate frozen anew.
func (g *Governance) escalate(ctx context.Context, tx *store.Store, group *models.Actor, p *models.Proposal) (*models.Proposal, error) {
	settings, err := settingsOf(ctx, tx, group.ID)
	if err != nil {
		return nil, err
	}
	d := settings.Kinds[p.Kind]
	qn, qd, qk := int64(1), int64(3), QuorumParticipation
	if d.Method == MethodMajority || d.Method == MethodSupermajority {
		qn, qd, qk = d.QuorumNum, d.QuorumDen, d.QuorumKind
	}
	now := g.d.Now()
	id := models.NewID()
	next := &models.Proposal{
		ID: id, URI: g.QuestionPrefix() + id, CommunityID: p.CommunityID, AuthorID: p.AuthorID, Kind: p.Kind,
		Title: p.Title, Motion: p.Motion, MotionHTML: p.MotionHTML, Method: MethodMajority,
		QuorumNum: int(qn), QuorumDen: int(qd), QuorumKind: qk, ThresholdNum: 1, ThresholdDen: 2, ThresholdBase: BaseCast,
		Choice: ChoiceOne, BallotMode: p.BallotMode, EscalatedFrom: p.ID,
		Options: string(mustJSON([]string{OptionYes, OptionNo, OptionAbstain})), Args: p.Args,
		OpensAt: now, ClosesAt: now.Add(DefaultWindow).UTC().Truncate(time.Second), State: models.ProposalOpen,
	}
	if err := g.open(ctx, tx, group, next); err != nil {
		return nil, err
	}
	return next, nil
}

// describe says the result in words: the decision, the counts, the turnout
// against the electorate and the advisory votes by instance.
func describe(p *models.Proposal, r Result, adv []store.InstanceCount, early bool) string {
	var b strings.Builder
	switch r.State {
	case models.ProposalPassed:
		b.WriteString("Passed.")
		if r.Winner != "" {
			fmt.Fprintf(&b, " Chosen: %s.", r.Winner)
		}
	case models.ProposalFailedNoQuorum:
		what := "of the electorate voting"
		if p.QuorumKind == QuorumSupport {
			what = "of the electorate in support"
		}
		fmt.Fprintf(&b, "Failed: the quorum of %d/%d %s was not reached.", p.QuorumNum, p.QuorumDen, what)
	case models.ProposalBlocked:
		if p.Method == MethodConsent {
			b.WriteString("Blocked by an objection with a reason.")
		} else {
			b.WriteString("Blocked.")
		}
	default:
		if p.Method == MethodLazyConsensus {
			b.WriteString("Failed: an objection with a reason was raised.")
		} else {
			b.WriteString("Failed.")
		}
	}
	if early {
		b.WriteString(" Closed early: the remaining votes could not change the result.")
	}
	var parts []string
	for _, o := range Options(p) {
		parts = append(parts, fmt.Sprintf("%s %d", o, r.Counts[o]))
	}
	fmt.Fprintf(&b, " %s; %d of %d eligible voters voted.", strings.Join(parts, ", "), r.Voters, r.Eligible)
	if len(adv) > 0 {
		var a []string
		for _, c := range adv {
			d := c.Domain
			if d == "" {
				d = "this instance"
			}
			a = append(a, fmt.Sprintf("%s %d (%s)", c.Option, c.N, d))
		}
		fmt.Fprintf(&b, " Advisory votes, not counted: %s.", strings.Join(a, ", "))
	}
	return b.String()
}
