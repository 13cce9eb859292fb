package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/commonsd/commonsd/models"
)

// Governance, second slice (migration 0012): settings, objections, open
// ballots, advisory votes by instance, the governance log, a member's
// unvoted proposals, and remote polls.

// GovernanceSettingsOf returns a community's governance settings
// (ErrNotFound: it has none and uses the defaults).
func (s *Store) GovernanceSettingsOf(ctx context.Context, communityID string) (*models.GovernanceSettings, error) {
	return first[models.GovernanceSettings](s.with(ctx).Where("community_id = ?", communityID))
}

// PutGovernanceSettings writes a community's governance settings.
func (s *Store) PutGovernanceSettings(ctx context.Context, gs *models.GovernanceSettings) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "community_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"who_may_propose", "entrenched", "contributions_by_proposal", "lazy_escalation", "kinds", "updated_at"})}).
		Create(gs).Error)
}

// CountVoters counts the distinct binding voters of a proposal who are still
// active members (T for an anyOf proposal, where a voter has several ballots).
func (s *Store) CountVoters(ctx context.Context, p *models.Proposal) (int64, error) {
	var n int64
	err := s.with(ctx).Raw(`SELECT count(DISTINCT b.voter_id) FROM ballots b
		JOIN memberships m ON m.actor_id = b.voter_id AND m.community_id = ? AND m.state = ?
		WHERE b.proposal_id = ?`, p.CommunityID, models.MembershipActive, p.ID).Scan(&n).Error
	return n, translate(err)
}

// CountValidObjections counts the binding ballots for option (Object) whose
// voter, still an active member, also replied to the proposal's Question
// with a note published before `before` and not deleted: a valid objection.
func (s *Store) CountValidObjections(ctx context.Context, p *models.Proposal, option string, before time.Time) (int64, error) {
	var n int64
	err := s.with(ctx).Raw(`SELECT count(*) FROM ballots b
		JOIN memberships m ON m.actor_id = b.voter_id AND m.community_id = ? AND m.state = ?
		WHERE b.proposal_id = ? AND b.option = ? AND EXISTS (SELECT 1 FROM notes n
			WHERE n.author_id = b.voter_id AND n.in_reply_to_uri = ? AND n.deleted_at IS NULL AND n.published <= ?)`,
		p.CommunityID, models.MembershipActive, p.ID, option, p.URI, before).Scan(&n).Error
	return n, translate(err)
}

// InstanceCount is the number of votes for one option from one instance
// (Domain "" is this one).
type InstanceCount struct {
	Domain string
	Option string
	N      int64
}

// CountAdvisoryByInstance counts a proposal's advisory votes by the voter's
// instance and option.
func (s *Store) CountAdvisoryByInstance(ctx context.Context, proposalID string) ([]InstanceCount, error) {
	var out []InstanceCount
	err := s.with(ctx).Raw(`SELECT a.domain AS domain, v.option AS option, count(*) AS n FROM advisory_votes v
		JOIN actors a ON a.id = v.voter_id WHERE v.proposal_id = ? GROUP BY a.domain, v.option ORDER BY a.domain, v.option`,
		proposalID).Scan(&out).Error
	return out, translate(err)
}

// VoterChoice is one voter's binding choice (an open ballot).
type VoterChoice struct {
	VoterURI string
	Option   string
}

// OpenBallots lists the binding ballots that count (active members), voter by
// voter: what an open-ballot proposal publishes at close.
func (s *Store) OpenBallots(ctx context.Context, p *models.Proposal) ([]VoterChoice, error) {
	var out []VoterChoice
	err := s.with(ctx).Raw(`SELECT a.uri AS voter_uri, b.option AS option FROM ballots b
		JOIN memberships m ON m.actor_id = b.voter_id AND m.community_id = ? AND m.state = ?
		JOIN actors a ON a.id = b.voter_id
		WHERE b.proposal_id = ? ORDER BY a.uri, b.option`, p.CommunityID, models.MembershipActive, p.ID).Scan(&out).Error
	return out, translate(err)
}

// DeleteBallotsOf removes voterID's binding ballots on a proposal (an anyOf
// vote replaced as a whole).
func (s *Store) DeleteBallotsOf(ctx context.Context, proposalID, voterID string) error {
	return translate(s.with(ctx).Where("proposal_id = ? AND voter_id = ?", proposalID, voterID).Delete(&models.Ballot{}).Error)
}

// BallotsOf returns voterID's binding ballots on a proposal.
func (s *Store) BallotsOf(ctx context.Context, proposalID, voterID string) ([]models.Ballot, error) {
	var out []models.Ballot
	err := s.with(ctx).Where("proposal_id = ? AND voter_id = ?", proposalID, voterID).Order("option").Find(&out).Error
	return out, translate(err)
}

// DecidedProposals lists a community's proposals that are no longer open,
// the most recently closed first: the governance log and the feeds.
func (s *Store) DecidedProposals(ctx context.Context, communityID string, limit int) ([]models.Proposal, error) {
	var out []models.Proposal
	err := s.with(ctx).Where("community_id = ? AND state <> ?", communityID, models.ProposalOpen).
		Order("closed_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// RecentProposals lists a community's proposals, newest first (the feeds).
func (s *Store) RecentProposals(ctx context.Context, communityID string, limit int) ([]models.Proposal, error) {
	var out []models.Proposal
	err := s.with(ctx).Where("community_id = ?", communityID).Order("created_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// UnvotedProposals lists the open proposals actorID may vote on (in their
// frozen electorate, still an active member) and has not voted on, closing
// soonest first.
func (s *Store) UnvotedProposals(ctx context.Context, actorID string, now time.Time, limit int) ([]models.Proposal, error) {
	var out []models.Proposal
	err := s.with(ctx).Raw(`SELECT p.* FROM proposals p
		JOIN proposal_voters v ON v.proposal_id = p.id AND v.actor_id = ?
		JOIN memberships m ON m.community_id = p.community_id AND m.actor_id = v.actor_id AND m.state = ?
		WHERE p.state = ? AND p.closes_at > ?
		AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.proposal_id = p.id AND b.voter_id = v.actor_id)
		ORDER BY p.closes_at, p.id LIMIT ?`, actorID, models.MembershipActive, models.ProposalOpen, now, limit).Scan(&out).Error
	return out, translate(err)
}

// PutPoll stores or refreshes a remote poll's options and counts.
func (s *Store) PutPoll(ctx context.Context, p *models.Poll) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "note_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"multiple", "options", "voters_count", "end_time", "closed_at", "updated_at"})}).
		Create(p).Error)
}

// PollByNoteID loads the poll of a note (ErrNotFound: the note is no poll).
func (s *Store) PollByNoteID(ctx context.Context, noteID string) (*models.Poll, error) {
	return first[models.Poll](s.with(ctx).Where("note_id = ?", noteID))
}

// PollsOf loads the polls among the given notes, by note id.
func (s *Store) PollsOf(ctx context.Context, noteIDs []string) (map[string]*models.Poll, error) {
	out := map[string]*models.Poll{}
	if len(noteIDs) == 0 {
		return out, nil
	}
	var rows []models.Poll
	if err := s.with(ctx).Where("note_id IN ?", noteIDs).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for i := range rows {
		out[rows[i].NoteID] = &rows[i]
	}
	return out, nil
}

// AddPollVote records a local user's vote on a remote poll; a vote for the
// same option again changes nothing (reported false).
func (s *Store) AddPollVote(ctx context.Context, v *models.PollVote) (bool, error) {
	res := s.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(v)
	return res.RowsAffected > 0, translate(res.Error)
}

// PollVotesOf lists actorID's votes on the poll of noteID.
func (s *Store) PollVotesOf(ctx context.Context, noteID, actorID string) ([]models.PollVote, error) {
	var out []models.PollVote
	err := s.with(ctx).Where("note_id = ? AND actor_id = ?", noteID, actorID).Order("option").Find(&out).Error
	return out, translate(err)
}

// RevisionOf returns the proposal that revises id (ErrNotFound: none).
func (s *Store) RevisionOf(ctx context.Context, id string) (*models.Proposal, error) {
	return first[models.Proposal](s.with(ctx).Where("revision_of = ?", id))
}
