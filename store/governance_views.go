package store

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// Tallies of several proposals at once: a page of proposals (the list, the
// governance log) is read in a fixed number of queries, whatever its length,
// instead of the single-proposal counts once per row.

// ProposalCount is one count of one proposal (Option "" where the count is
// not by option).
type ProposalCount struct {
	ProposalID string
	Option     string
	N          int64
}

// ProposalInstanceCount is InstanceCount of one proposal.
type ProposalInstanceCount struct {
	ProposalID string
	Domain     string
	Option     string
	N          int64
}

// ProposalTallies are the counts of a set of proposals, each as its
// single-proposal counterpart counts it (CountBallots, CountVoters,
// CountAdvisoryVotes, CountAdvisoryByInstance).
type ProposalTallies struct {
	Ballots            []ProposalCount // binding ballots of active members, by option
	Eligible           []ProposalCount // |E| minus the voters no longer active members
	Voters             []ProposalCount // distinct binding voters still active members
	Advisory           []ProposalCount // advisory votes by option
	AdvisoryByInstance []ProposalInstanceCount
}

// TalliesOf counts the proposals with these ids in at most five queries;
// Voters only for those in multi (anyOf, where a voter has several ballots).
func (s *Store) TalliesOf(ctx context.Context, ids, multi []string) (*ProposalTallies, error) {
	t := &ProposalTallies{}
	if len(ids) == 0 {
		return t, nil
	}
	db := s.with(ctx)
	if err := db.Raw(`SELECT b.proposal_id AS proposal_id, b.option AS option, count(*) AS n FROM ballots b
		JOIN proposals p ON p.id = b.proposal_id
		JOIN memberships m ON m.actor_id = b.voter_id AND m.community_id = p.community_id AND m.state = ?
		WHERE b.proposal_id IN ? GROUP BY b.proposal_id, b.option`, models.MembershipActive, ids).Scan(&t.Ballots).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Raw(`SELECT v.proposal_id AS proposal_id, count(*) AS n FROM proposal_voters v
		JOIN proposals p ON p.id = v.proposal_id
		JOIN memberships m ON m.actor_id = v.actor_id AND m.community_id = p.community_id AND m.state = ?
		WHERE v.proposal_id IN ? GROUP BY v.proposal_id`, models.MembershipActive, ids).Scan(&t.Eligible).Error; err != nil {
		return nil, translate(err)
	}
	if len(multi) > 0 {
		if err := db.Raw(`SELECT b.proposal_id AS proposal_id, count(DISTINCT b.voter_id) AS n FROM ballots b
			JOIN proposals p ON p.id = b.proposal_id
			JOIN memberships m ON m.actor_id = b.voter_id AND m.community_id = p.community_id AND m.state = ?
			WHERE b.proposal_id IN ? GROUP BY b.proposal_id`, models.MembershipActive, multi).Scan(&t.Voters).Error; err != nil {
			return nil, translate(err)
		}
	}
	if err := db.Raw(`SELECT proposal_id, option, count(*) AS n FROM advisory_votes WHERE proposal_id IN ?
		GROUP BY proposal_id, option`, ids).Scan(&t.Advisory).Error; err != nil {
		return nil, translate(err)
	}
	err := db.Raw(`SELECT v.proposal_id AS proposal_id, a.domain AS domain, v.option AS option, count(*) AS n FROM advisory_votes v
		JOIN actors a ON a.id = v.voter_id WHERE v.proposal_id IN ?
		GROUP BY v.proposal_id, a.domain, v.option ORDER BY v.proposal_id, a.domain, v.option`, ids).Scan(&t.AdvisoryByInstance).Error
	return t, translate(err)
}

// BallotsOfMany returns voterID's binding ballots on the proposals with these
// ids, by proposal, each proposal's in option order.
func (s *Store) BallotsOfMany(ctx context.Context, ids []string, voterID string) (map[string][]models.Ballot, error) {
	out := map[string][]models.Ballot{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []models.Ballot
	if err := s.with(ctx).Where("proposal_id IN ? AND voter_id = ?", ids, voterID).Order("proposal_id").Order("option").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, b := range rows {
		out[b.ProposalID] = append(out[b.ProposalID], b)
	}
	return out, nil
}

// RevisionsOfMany maps each of the proposals with these ids that was revised
// to the id of its revision.
func (s *Store) RevisionsOfMany(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []models.Proposal
	if err := s.with(ctx).Select("id", "revision_of").Where("revision_of IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, p := range rows {
		if _, ok := out[p.RevisionOf]; !ok {
			out[p.RevisionOf] = p.ID
		}
	}
	return out, nil
}

// PollVotesOfMany returns actorID's votes on the remote polls of these notes,
// by note, each note's in option order (a page of polls in one query).
func (s *Store) PollVotesOfMany(ctx context.Context, noteIDs []string, actorID string) (map[string][]models.PollVote, error) {
	out := map[string][]models.PollVote{}
	if len(noteIDs) == 0 {
		return out, nil
	}
	var rows []models.PollVote
	if err := s.with(ctx).Where("note_id IN ? AND actor_id = ?", noteIDs, actorID).Order("note_id").Order("option").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, v := range rows {
		out[v.NoteID] = append(out[v.NoteID], v)
	}
	return out, nil
}
