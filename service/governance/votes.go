package governance

import (
	"context"
	"encoding/json"

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

// Vote records a local member's vote; a later vote replaces their earlier one
// until close. A voter outside the electorate is recorded as advisory. It
// reports whether the ballot is binding.
func (g *Governance) Vote(ctx context.Context, voter *models.Actor, proposalID, option string) (binding bool, err error) {
	if voter == nil || !voter.Local() {
		return false, errs.Forbidden("sign in to vote")
	}
	p, err := g.d.Store.ProposalByID(ctx, proposalID)
	if err != nil {
		return false, errs.NotFound("proposal not found")
	}
	return g.record(ctx, p, voter, option, g.d.URLs.Activity(models.NewID()), true)
}

// ReceiveVote records a vote from another server (a Mastodon poll vote: a Note
// named by the option, in reply to the proposal's Question). The federation
// edge has checked that voter signed it and that voteURI is on voter's host.
// A voter's first ballot counts; a second one, or a vote id seen before,
// changes nothing. 404 for an unknown proposal, 422 for an option the
// proposal does not have, 409 once it is closed.
func (g *Governance) ReceiveVote(ctx context.Context, voter *models.Actor, questionURI, option, voteURI string) (binding bool, err error) {
	if voter == nil || voter.Local() {
		return false, errs.Forbidden("not a remote voter")
	}
	p, err := g.d.Store.ProposalByURI(ctx, questionURI)
	if err != nil {
		return false, errs.NotFound("no such proposal")
	}
	return g.record(ctx, p, voter, option, voteURI, false)
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

// record writes a ballot while the proposal is held open (HoldOpenProposal):
// a close running at the same time either tallies after it or refuses it.
func (g *Governance) record(ctx context.Context, p *models.Proposal, voter *models.Actor, option, uri string, replace bool) (bool, error) {
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
			written, err = tx.PutBallot(ctx, &models.Ballot{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Option: option, URI: uri}, replace)
		} else {
			written, err = tx.PutAdvisoryVote(ctx, &models.AdvisoryVote{ID: models.NewID(), ProposalID: p.ID, VoterID: voter.ID, Option: option, URI: uri}, replace)
		}
		if err != nil || !written || !binding {
			return err
		}
		return g.tallyChanged(ctx, tx, p.ID, now)
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
	Eligible int64
	// Mine is the viewer's binding ballot's option ("" when none or anonymous).
	Mine string
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
	group, err := g.d.Store.ActorByID(ctx, p.CommunityID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	counts, eligible, err := g.d.Store.CountBallots(ctx, p)
	if err != nil {
		return nil, errs.Internal(err)
	}
	adv, err := g.d.Store.CountAdvisoryVotes(ctx, p.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	v := &View{Proposal: p, Group: group, Options: Options(p), Counts: byOption(counts), Advisory: byOption(adv), Eligible: eligible}
	for _, n := range v.Counts {
		v.Cast += n
	}
	if viewer != nil {
		if b, err := g.d.Store.BallotOf(ctx, p.ID, viewer.ID); err == nil {
			v.Mine = b.Option
		}
	}
	return v, nil
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
