package governance

import (
	"context"
	"fmt"
	"html"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// What the Group publishes about a proposal (issue 11, "On the wire"): at
// opening, Create{Question} to its followers and the remote members of the
// electorate; at close, Update{Question} with closed and the final tallies to
// them and every remote voter, the effect's own activities, then the outcome
// as a Create{Note} by the Group in reply to the Question. Decision: the
// outcome note comes after the effect (the issue lists it before) so that it
// says what actually happened, including an effect that could no longer be
// carried out.

// question builds the Question of p with its current tallies.
func (g *Governance) question(ctx context.Context, st Store, group *models.Actor, p *models.Proposal) (core.QuestionObject, error) {
	counts, eligible, voters, err := st.CountBallots(ctx, p, p.Choice == ChoiceAny)
	if err != nil {
		return core.QuestionObject{}, err
	}
	return questionOf(group, p, Input{Counts: byOption(counts), Eligible: eligible, Voters: voters}), nil
}

// questionOf is p's Question with the tallies in.
func questionOf(group *models.Actor, p *models.Proposal, in Input) core.QuestionObject {
	return core.QuestionObject{Proposal: p, Group: group, Options: Options(p), Counts: in.Counts, Voters: in.Voters,
		Lines: Lines(p, in.Eligible)}
}

// Lines are the plain lines under the motion: the method, the quorum, who
// counts and the closing time.
func Lines(p *models.Proposal, eligible int64) []string {
	var method string
	switch p.Method {
	case MethodSupermajority:
		base := "of Yes and No"
		if p.ThresholdBase == BaseEligible {
			base = fmt.Sprintf("of all %d eligible members", eligible)
		}
		method = fmt.Sprintf("Supermajority: passes if Yes is at least %d/%d %s.", p.ThresholdNum, p.ThresholdDen, base)
		if p.Block {
			method += " A single Block vote blocks it."
		}
	case MethodConsent:
		method = "Consent: passes unless someone objects with a reason (vote Object and reply to the proposal saying why)."
	case MethodLazyConsensus:
		method = "Lazy consensus: passes unless someone objects with a reason (vote Object and reply saying why)"
		if p.Escalate == EscalateMajority {
			method += "; an objection leads to a majority vote."
		} else {
			method += "; an objection makes it fail."
		}
	case MethodChoice:
		method = "Choice: the option with the most votes wins (a tie for first fails)."
		if p.Choice == ChoiceAny {
			method = "Choice: vote for every option you accept; the one with the most votes wins (a tie for first fails)."
		}
	default:
		method = "Majority: passes if Yes outnumbers No (a tie fails)."
	}
	quorum := fmt.Sprintf("Quorum: %d/%d of the %d eligible members must vote.", p.QuorumNum, p.QuorumDen, eligible)
	switch {
	case p.Method == MethodLazyConsensus || p.QuorumNum == 0:
		quorum = "No quorum."
	case p.QuorumKind == QuorumSupport:
		quorum = fmt.Sprintf("Quorum: %d/%d of the %d eligible members must vote in favour.", p.QuorumNum, p.QuorumDen, eligible)
	}
	lines := []string{method, quorum, "Who counts: the members when the proposal opened; other votes are advisory."}
	if p.EarlyClose {
		lines = append(lines, "Votes are final; it closes as soon as the result is certain.")
	}
	if p.BallotMode == BallotOpen {
		lines = append(lines, "Open ballot: who voted how is published at close.")
	}
	return append(lines, "Closes: "+p.ClosesAt.UTC().Format(time.RFC1123)+".")
}

// publishQuestion sends Create or Update of p's Question.
func (g *Governance) publishQuestion(ctx context.Context, tx *store.Store, verb string, group *models.Actor, p *models.Proposal) error {
	q, err := g.question(ctx, tx, group, p)
	if err != nil {
		return err
	}
	recipients, err := g.remoteAudience(ctx, tx, p)
	if err != nil {
		return err
	}
	return g.sendQuestion(ctx, tx, verb, group, q, recipients)
}

// sendQuestion sends q (Create or Update) to the Group's followers and
// recipients.
func (g *Governance) sendQuestion(ctx context.Context, tx *store.Store, verb string, group *models.Actor, q core.QuestionObject, recipients []*models.Actor) error {
	return g.d.Pub.Publish(ctx, tx, &core.Outbound{ID: g.d.URLs.Activity(models.NewID()), Type: verb, Actor: group,
		Object: q, Audience: group.URI, To: []string{core.PublicCollection}, CC: []string{group.FollowersURI},
		ToFollowers: true, Recipients: recipients, Public: true})
}

// publishOutcome stores the outcome as a note of the Group in reply to the
// Question and sends it, with the result in machine-readable fields.
func (g *Governance) publishOutcome(ctx context.Context, tx *store.Store, group *models.Actor, p *models.Proposal, res Result, adv []store.InstanceCount, effect string, recipients []*models.Actor, now time.Time) error {
	id := models.NewID()
	n := &models.Note{ID: id, URI: g.d.URLs.Note(id), URL: g.d.URLs.Note(id), Type: "Note", AuthorID: group.ID,
		Content:    "<p>" + html.EscapeString(p.Title) + ": " + html.EscapeString(p.Outcome) + "</p>",
		Visibility: models.VisibilityPublic, InReplyToURI: p.URI, AudienceURI: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, Local: true, Published: now}
	if err := tx.CreateNote(ctx, n, nil); err != nil {
		return err
	}
	return g.d.Pub.Publish(ctx, tx, &core.Outbound{ID: g.d.URLs.Activity(models.NewID()), Type: core.TypeCreate, Actor: group,
		Object: core.OutcomeObject{Note: n, Author: group, Fields: g.OutcomeFields(p, res, adv, effect)}, Audience: group.URI, Published: now,
		To: n.To, CC: n.CC, ToFollowers: true, Recipients: recipients, Public: true})
}

// OutcomeFields are the outcome's machine-readable fields (terms of the
// project's namespace, /ns).
func (g *Governance) OutcomeFields(p *models.Proposal, res Result, adv []store.InstanceCount, effect string) map[string]any {
	advisory := make([]map[string]any, 0, len(adv))
	for _, c := range adv {
		d := c.Domain
		if d == "" {
			d = g.localHost()
		}
		advisory = append(advisory, map[string]any{"instance": d, "option": c.Option, "count": c.N})
	}
	f := map[string]any{"decides": p.URI, "result": res.State, "method": p.Method, "proposalKind": p.Kind,
		"counts": res.Counts, "voters": res.Voters, "eligible": res.Eligible, "quorumMet": res.QuorumMet,
		"advisory": advisory, "effect": effect}
	if res.Winner != "" {
		f["winner"] = res.Winner
	}
	if p.BallotMode == BallotOpen {
		f["ballots"] = p.URI + "/ballots"
	}
	return f
}

// publishReason stores a local voter's reason as their reply to the
// proposal's Question (public, in the community) and sends it to the
// proposal's remote audience: what makes an objection valid.
func (g *Governance) publishReason(ctx context.Context, tx *store.Store, voter *models.Actor, p *models.Proposal, reason string, now time.Time) error {
	group, err := tx.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return err
	}
	id := models.NewID()
	n := &models.Note{ID: id, URI: g.d.URLs.Note(id), URL: g.d.URLs.Note(id), Type: "Note", AuthorID: voter.ID,
		Content: content.Markdown(reason), Visibility: models.VisibilityPublic, InReplyToURI: p.URI, AudienceURI: group.URI,
		To: []string{core.PublicCollection}, CC: []string{voter.FollowersURI, group.URI}, Local: true, Published: now}
	if err := tx.CreateNote(ctx, n, nil); err != nil {
		return err
	}
	recipients, err := g.remoteAudience(ctx, tx, p)
	if err != nil {
		return err
	}
	return g.d.Pub.Publish(ctx, tx, &core.Outbound{ID: g.d.URLs.Activity(models.NewID()), Type: core.TypeCreate, Actor: voter,
		Object: core.NoteObject{Note: n, Author: voter}, Audience: group.URI, Published: now,
		To: n.To, CC: n.CC, ToFollowers: true, Recipients: recipients, Public: true})
}

func (g *Governance) remoteAudience(ctx context.Context, tx *store.Store, p *models.Proposal) ([]*models.Actor, error) {
	rows, err := tx.ProposalRemoteAudience(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*models.Actor, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, nil
}

// Question returns proposal id's Question with its current tallies: what its
// URL serves (Mastodon refetches it to refresh a poll).
func (g *Governance) Question(ctx context.Context, id string) (core.QuestionObject, error) {
	p, err := g.d.Store.ProposalByID(ctx, id)
	if err != nil {
		return core.QuestionObject{}, errs.NotFound("proposal not found")
	}
	group, err := g.d.Store.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return core.QuestionObject{}, errs.Internal(err)
	}
	q, err := g.question(ctx, g.d.Store, group, p)
	if err != nil {
		return core.QuestionObject{}, errs.Internal(err)
	}
	return q, nil
}

// QuestionPrefix is where this instance's Questions live: a vote is a reply to
// an id under it.
func (g *Governance) QuestionPrefix() string { return g.d.URLs.Base + "/proposals/" }

// TallyJob sends a proposal's Question again with its current tallies
// (Update{Question}), once per window however many votes came in it.
type TallyJob struct {
	ProposalID string `json:"proposal_id"`
}

// Kind implements core.Job.
func (TallyJob) Kind() string { return "proposal_tally_update" }

// tallyChanged schedules the debounced Update{Question} after a vote changed
// the tallies: the first change of a window sets tally_due_at and schedules
// the job; later ones find it pending and do nothing. Without a job queue the
// tallies are only served at the Question's URL.
func (g *Governance) tallyChanged(ctx context.Context, tx *store.Store, id string, now time.Time) error {
	if _, none := g.d.Jobs.(core.NoJobs); g.d.Jobs == nil || none {
		return nil
	}
	due := now.Add(g.d.UpdateWindow)
	if ok, err := tx.DueTallyUpdate(ctx, id, due); err != nil || !ok {
		return err
	}
	return g.d.Jobs.ScheduleAt(ctx, tx, TallyJob{ProposalID: id}, due)
}

// RunTallyJob runs a TallyJob (registered on the queue by app): the pending
// update is taken in a conditional update, so it goes out once; a proposal
// closed meanwhile sent its final tallies with the close.
func (g *Governance) RunTallyJob(ctx context.Context, job TallyJob) error {
	return g.d.Store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.TakeTallyUpdate(ctx, job.ProposalID)
		if err != nil || !ok {
			return err
		}
		p, err := tx.ProposalByID(ctx, job.ProposalID)
		if err != nil {
			return err
		}
		group, err := tx.ActorByID(ctx, p.CommunityID)
		if err != nil {
			return err
		}
		return g.publishQuestion(ctx, tx, core.TypeUpdate, group, p)
	})
}
