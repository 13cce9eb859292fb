package governance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Options returns a proposal's option names, in order.
func Options(p *models.Proposal) []string {
	var out []string
	_ = json.Unmarshal([]byte(p.Options), &out)
	return out
}

func hasOption(p *models.Proposal, option string) bool {
	for _, o := range Options(p) {
		if o == option {
			return true
		}
	}
	return false
}

// Vote records a local member's single-choice vote (see Cast).
func (g *Governance) Vote(ctx context.Context, voter *models.Actor, proposalID, option string) (binding bool, err error) {
	return g.Cast(ctx, voter, proposalID, []string{option}, "")
}

// Cast records a local member's vote: one option, or several on an anyOf
// proposal. A later vote replaces the earlier one until close, except on a
// proposal whose ballots are final (early_close: 409). A voter outside the
// electorate is recorded as advisory. A reason (an objection's, or any
// comment) becomes the voter's reply to the proposal, published as a note:
// under consent and lazy consensus that reply is what makes an objection
// valid. It reports whether the ballot is binding.
func (g *Governance) Cast(ctx context.Context, voter *models.Actor, proposalID string, options []string, reason string) (binding bool, err error) {
	if voter == nil || !voter.Local() {
		return false, errs.Forbidden("sign in to vote")
	}
	p, err := g.d.Store.ProposalByID(ctx, proposalID)
	if err != nil {
		return false, errs.NotFound("proposal not found")
	}
	seen := map[string]bool{}
	var opts []string
	for _, o := range options {
		if o != "" && !seen[o] {
			seen[o] = true
			opts = append(opts, o)
		}
	}
	if len(opts) == 0 {
		return false, errs.Unprocessable("choose an option")
	}
	if len(opts) > 1 && p.Choice != ChoiceAny {
		return false, errs.Unprocessable("this proposal takes one option")
	}
	for _, o := range opts {
		if !hasOption(p, o) {
			return false, errs.Unprocessable("no option %q on this proposal", o)
		}
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReason {
		return false, errs.Unprocessable("a reason is at most %d characters", MaxReason)
	}
	now := g.d.Now()
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.HoldOpenProposal(ctx, p.ID, now); core.LostRace(err) {
			return errs.Conflict("this proposal is closed")
		} else if err != nil {
			return err
		}
		var err error
		binding, err = tx.InElectorate(ctx, p.ID, voter.ID)
		if err != nil {
			return err
		}
		if binding {
			if p.EarlyClose {
				if prior, err := tx.BallotsOf(ctx, p.ID, voter.ID); err != nil {
					return err
				} else if len(prior) > 0 {
					return errs.Conflict("ballots on this proposal are final: it closes as soon as the result is certain")
				}
			}
			if p.Choice == ChoiceAny {
				if err := tx.DeleteBallotsOf(ctx, p.ID, voter.ID); err != nil {
					return err
				}
			}
			for _, o := range opts {
				b := &models.Ballot{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Slot: slotOf(p, o), Option: o, URI: g.d.URLs.Activity(models.NewID())}
				if _, err := tx.PutBallot(ctx, b, true); err != nil {
					return err
				}
			}
		} else {
			for _, o := range opts {
				v := &models.AdvisoryVote{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Slot: slotOf(p, o), Option: o, URI: g.d.URLs.Activity(models.NewID())}
				if _, err := tx.PutAdvisoryVote(ctx, v, true); err != nil {
					return err
				}
			}
		}
		if reason != "" {
			if err := g.publishReason(ctx, tx, voter, p, reason, now); err != nil {
				return err
			}
		}
		if !binding {
			return nil
		}
		return g.ballotsChanged(ctx, tx, p, now)
	})
	if err != nil {
		return false, errs.Internal(err)
	}
	return binding, nil
}

// MaxReason is the longest reason a vote may carry.
const MaxReason = 5000

// slotOf is the unique-index slot of a ballot for option: "" on a
// single-choice proposal (one ballot per voter), the option on anyOf (one per
// voter per option).
func slotOf(p *models.Proposal, option string) string {
	if p.Choice == ChoiceAny {
		return option
	}
	return ""
}

// ballotsChanged follows a change of the binding ballots in tx: the debounced
// Update{Question}, and on an early-close proposal whose outcome can no longer
// change, its close scheduled now.
func (g *Governance) ballotsChanged(ctx context.Context, tx *store.Store, p *models.Proposal, now time.Time) error {
	if err := g.tallyChanged(ctx, tx, p.ID, now); err != nil {
		return err
	}
	if !p.EarlyClose {
		return nil
	}
	in, err := g.input(ctx, tx, p, now)
	if err != nil {
		return err
	}
	if _, ok := Decided(RulesOf(p), in); ok {
		return g.d.Jobs.ScheduleAt(ctx, tx, CloseJob{ProposalID: p.ID}, now)
	}
	return nil
}

// ReceiveVote records a vote from another server (a Mastodon poll vote: a Note
// named by the option, in reply to the proposal's Question; several Creates
// for an anyOf poll). The federation edge has checked that voter signed it
// and that voteURI is on voter's host. A voter's first ballot (per option on
// anyOf) counts; a second one, or a vote id seen before, changes nothing.
// 404 for an unknown proposal, 422 for an option the proposal does not have,
// 409 once it is closed.
func (g *Governance) ReceiveVote(ctx context.Context, voter *models.Actor, questionURI, option, voteURI string) (binding bool, err error) {
	if voter == nil || voter.Local() {
		return false, errs.Forbidden("not a remote voter")
	}
	p, err := g.d.Store.ProposalByURI(ctx, questionURI)
	if err != nil {
		return false, errs.NotFound("no such proposal")
	}
	return g.record(ctx, p, voter, option, voteURI)
}

// ReceiveUnvote takes back a remote voter's vote (Undo{Create{vote}}) while
// the proposal is open: their ballot no longer counts and they may vote
// again. 404 when voter has no vote with this id, 409 once the proposal is
// closed (the vote stands).
func (g *Governance) ReceiveUnvote(ctx context.Context, voter *models.Actor, voteURI string) error {
	pid, voterID, err := g.d.Store.VoteByURI(ctx, voteURI)
	if err != nil || voter == nil || voterID != voter.ID {
		return errs.NotFound("no such vote")
	}
	if p, err := g.d.Store.ProposalByID(ctx, pid); err == nil && p.EarlyClose {
		return errs.Conflict("ballots on this proposal are final; the vote stands")
	}
	now := g.d.Now()
	err = g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.HoldOpenProposal(ctx, pid, now); core.LostRace(err) {
			return errs.Conflict("this proposal is closed; the vote stands")
		} else if err != nil {
			return err
		}
		deleted, err := tx.DeleteVote(ctx, voteURI, voter.ID)
		if err != nil || !deleted {
			return err
		}
		return g.tallyChanged(ctx, tx, pid, now)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// record writes a remote ballot while the proposal is held open
// (HoldOpenProposal): a close running at the same time either tallies after
// it or refuses it.
func (g *Governance) record(ctx context.Context, p *models.Proposal, voter *models.Actor, option, uri string) (bool, error) {
	if !hasOption(p, option) {
		return false, errs.Unprocessable("no option %q on this proposal", option)
	}
	now := g.d.Now()
	var binding bool
	err := g.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.HoldOpenProposal(ctx, p.ID, now); core.LostRace(err) {
			return errs.Conflict("this proposal is closed")
		} else if err != nil {
			return err
		}
		var err error
		binding, err = tx.InElectorate(ctx, p.ID, voter.ID)
		if err != nil {
			return err
		}
		var written bool
		if binding {
			written, err = tx.PutBallot(ctx, &models.Ballot{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Slot: slotOf(p, option), Option: option, URI: uri}, false)
		} else {
			written, err = tx.PutAdvisoryVote(ctx, &models.AdvisoryVote{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Slot: slotOf(p, option), Option: option, URI: uri}, false)
		}
		if err != nil || !written || !binding {
			return err
		}
		return g.ballotsChanged(ctx, tx, p, now)
	})
	if err != nil {
		return false, errs.Internal(err)
	}
	return binding, nil
}

// View is a proposal with its current tallies.
type View struct {
	Proposal *models.Proposal
	Group    *models.Actor
	Options  []string
	Counts   map[string]int64 // binding ballots by option
	Advisory map[string]int64 // advisory votes by option
	Cast     int64
	Voters   int64
	Eligible int64
	// AdvisoryByInstance breaks the advisory votes down by the voters'
	// instance ("" is this one).
	AdvisoryByInstance []store.InstanceCount
	// Mine is the viewer's binding ballot's option ("" when none or
	// anonymous); MineAll every option of theirs (anyOf).
	Mine    string
	MineAll []string
	// Rules are the method and parameters; Lines say them in words.
	Rules Rules
	Lines []string
	// Revisions: the proposal this one revises ("" none) and the one that
	// revised it.
	RevisedBy string
}

// Get returns a proposal with its current tallies; viewer may be nil.
func (g *Governance) Get(ctx context.Context, viewer *models.Actor, id string) (*View, error) {
	p, err := g.d.Store.ProposalByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("proposal not found")
	}
	return g.view(ctx, viewer, p)
}

// ByURI returns the proposal whose Question has this id, with its tallies.
func (g *Governance) ByURI(ctx context.Context, uri string) (*View, error) {
	p, err := g.d.Store.ProposalByURI(ctx, uri)
	if err != nil {
		return nil, errs.NotFound("proposal not found")
	}
	return g.view(ctx, nil, p)
}

func (g *Governance) view(ctx context.Context, viewer *models.Actor, p *models.Proposal) (*View, error) {
	vs, err := g.Views(ctx, viewer, []models.Proposal{*p})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// Views returns the proposals of a page (the list, the governance log) with
// their tallies as viewer (nil: anonymous) sees them, in the order given:
// the same as Get for each, read in a fixed number of queries whatever the
// page's length (TestViewsQueryCount).
func (g *Governance) Views(ctx context.Context, viewer *models.Actor, list []models.Proposal) ([]*View, error) {
	if len(list) == 0 {
		return nil, nil
	}
	ids, multi, groupIDs := make([]string, len(list)), []string{}, []string{}
	seenGroup := map[string]bool{}
	for i, p := range list {
		ids[i] = p.ID
		if p.Choice == ChoiceAny {
			multi = append(multi, p.ID)
		}
		if !seenGroup[p.CommunityID] {
			seenGroup[p.CommunityID] = true
			groupIDs = append(groupIDs, p.CommunityID)
		}
	}
	groups, err := g.d.Store.ActorsByIDs(ctx, groupIDs)
	if err != nil {
		return nil, errs.Internal(err)
	}
	t, err := g.d.Store.TalliesOf(ctx, ids, multi)
	if err != nil {
		return nil, errs.Internal(err)
	}
	mine := map[string][]models.Ballot{}
	if viewer != nil {
		if mine, err = g.d.Store.BallotsOfMany(ctx, ids, viewer.ID); err != nil {
			return nil, errs.Internal(err)
		}
	}
	revised, err := g.d.Store.RevisionsOfMany(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*View, len(list))
	byID := make(map[string]*View, len(list))
	for i := range list {
		p := &list[i]
		group := groups[p.CommunityID]
		if group == nil {
			return nil, errs.Internal(fmt.Errorf("governance: proposal %s: community %s not found", p.ID, p.CommunityID))
		}
		v := &View{Proposal: p, Group: group, Options: Options(p), Counts: map[string]int64{}, Advisory: map[string]int64{},
			Rules: RulesOf(p), RevisedBy: revised[p.ID]}
		for _, b := range mine[p.ID] {
			v.MineAll = append(v.MineAll, b.Option)
		}
		if len(v.MineAll) > 0 {
			v.Mine = v.MineAll[0]
		}
		out[i], byID[p.ID] = v, v
	}
	for _, c := range t.Ballots {
		byID[c.ProposalID].Counts[c.Option] = c.N
		byID[c.ProposalID].Cast += c.N
	}
	for _, c := range t.Eligible {
		byID[c.ProposalID].Eligible = c.N
	}
	for _, c := range t.Advisory {
		byID[c.ProposalID].Advisory[c.Option] = c.N
	}
	for _, c := range t.AdvisoryByInstance {
		v := byID[c.ProposalID]
		v.AdvisoryByInstance = append(v.AdvisoryByInstance, store.InstanceCount{Domain: c.Domain, Option: c.Option, N: c.N})
	}
	for _, v := range out {
		v.Voters = v.Cast
		if v.Proposal.Choice == ChoiceAny {
			v.Voters = 0
		}
		v.Lines = Lines(v.Proposal, v.Eligible)
	}
	for _, c := range t.Voters {
		byID[c.ProposalID].Voters = c.N
	}
	return out, nil
}

// List lists a community's proposals (open first).
func (g *Governance) List(ctx context.Context, group *models.Actor, limit, offset int) ([]models.Proposal, error) {
	if limit <= 0 || limit > 100 {
		limit = 40
	}
	out, err := g.d.Store.ListProposals(ctx, group.ID, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

func byOption(counts []store.VoteCount) map[string]int64 {
	m := map[string]int64{}
	for _, c := range counts {
		m[c.Option] = c.N
	}
	return m
}

// Ballots lists who voted how on a closed open-ballot proposal (the
// collection published at close); 404 while it is open or when its ballot is
// confidential.
func (g *Governance) Ballots(ctx context.Context, id string) ([]store.VoterChoice, error) {
	p, err := g.d.Store.ProposalByID(ctx, id)
	if err != nil || p.BallotMode != BallotOpen || p.State == models.ProposalOpen || p.State == models.ProposalWithdrawn {
		return nil, errs.NotFound("no published ballots")
	}
	out, err := g.d.Store.OpenBallots(ctx, p)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Log lists a community's decided proposals (every decision and its effect
// in the outcome), the most recently closed first.
func (g *Governance) Log(ctx context.Context, group *models.Actor, limit int) ([]models.Proposal, error) {
	if limit <= 0 || limit > 100 {
		limit = 40
	}
	out, err := g.d.Store.DecidedProposals(ctx, group.ID, limit)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Recent lists a community's newest proposals (opened or decided): the feed.
func (g *Governance) Recent(ctx context.Context, group *models.Actor, limit int) ([]models.Proposal, error) {
	out, err := g.d.Store.RecentProposals(ctx, group.ID, limit)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Unvoted lists the open proposals member may vote on and has not (their
// home page), closing soonest first.
func (g *Governance) Unvoted(ctx context.Context, member *models.Actor, limit int) ([]models.Proposal, error) {
	if member == nil {
		return nil, nil
	}
	out, err := g.d.Store.UnvotedProposals(ctx, member.ID, g.d.Now(), limit)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}
