package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/commonsd/commonsd/models"
)

// Governance (issue 11): proposals, their frozen electorate and ballots. The
// rules live in service/governance; these are the queries.

// CreateProposal stores p and freezes its electorate E: the community's active
// members at this instant. Run it in a transaction so both happen or neither.
func (s *Store) CreateProposal(ctx context.Context, p *models.Proposal) error {
	if err := s.with(ctx).Create(p).Error; err != nil {
		return translate(err)
	}
	return translate(s.with(ctx).Exec(
		`INSERT INTO proposal_voters (proposal_id, actor_id) SELECT ?, actor_id FROM memberships WHERE community_id = ? AND state = ?`,
		p.ID, p.CommunityID, models.MembershipActive).Error)
}

// ProposalByID loads a proposal.
func (s *Store) ProposalByID(ctx context.Context, id string) (*models.Proposal, error) {
	return first[models.Proposal](s.with(ctx).Where("id = ?", id))
}

// ProposalByURI loads a proposal by its Question's id.
func (s *Store) ProposalByURI(ctx context.Context, uri string) (*models.Proposal, error) {
	return first[models.Proposal](s.with(ctx).Where("uri = ?", uri))
}

// ListProposals lists a community's proposals, open ones first (closing soonest
// first), then the decided ones, newest first.
func (s *Store) ListProposals(ctx context.Context, communityID string, limit, offset int) ([]models.Proposal, error) {
	var out []models.Proposal
	err := s.with(ctx).Where("community_id = ?", communityID).
		Order(clause.Expr{SQL: "CASE WHEN state = ? THEN 0 ELSE 1 END", Vars: []any{models.ProposalOpen}}).
		Order(clause.Expr{SQL: "CASE WHEN state = ? THEN closes_at END ASC", Vars: []any{models.ProposalOpen}}).
		Order("created_at DESC").Order("id DESC").
		Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// InElectorate reports whether actorID is in the proposal's frozen electorate.
func (s *Store) InElectorate(ctx context.Context, proposalID, actorID string) (bool, error) {
	var n int64
	err := s.with(ctx).Model(&models.ProposalVoter{}).Where("proposal_id = ? AND actor_id = ?", proposalID, actorID).Count(&n).Error
	return n > 0, translate(err)
}

// HoldOpenProposal takes the proposal's row if it is still open and closes
// after now: a ballot written after it in the same transaction cannot slip
// past a concurrent close, which locks the same row (LockOpenProposal) before
// it tallies. On PostgreSQL it is a FOR KEY SHARE lock: voters do not wait
// for one another (each vote's transaction — a batch of 32 inbound activities
// — held the row exclusively before, so votes on one proposal ran one
// transaction at a time, 27 % of the plain inbox rate), the debounced
// tally_due_at UPDATE (FOR NO KEY UPDATE) does not conflict with it, and the
// close's FOR UPDATE waits for every vote in flight. SQLite serialises
// writers; the UPDATE there makes the transaction a writer at once.
// ErrConflict when the proposal is no longer open or its time is up,
// ErrNotFound when there is none.
func (s *Store) HoldOpenProposal(ctx context.Context, id string, now time.Time) error {
	return s.lockOpenProposal(ctx, id, now, true, "KEY SHARE")
}

// LockOpenProposal takes the open proposal's row exclusively (FOR UPDATE on
// PostgreSQL, which waits for every HoldOpenProposal in flight), for the
// close: the tally read after it in the same transaction sees every ballot
// that was written under the proposal held open.
func (s *Store) LockOpenProposal(ctx context.Context, id string, now time.Time) error {
	return s.lockOpenProposal(ctx, id, now, false, "UPDATE")
}

func (s *Store) lockOpenProposal(ctx context.Context, id string, now time.Time, beforeClose bool, strength string) error {
	q := s.with(ctx).Model(&models.Proposal{}).Where("id = ? AND state = ?", id, models.ProposalOpen)
	if beforeClose {
		q = q.Where("closes_at > ?", now)
	}
	var n int64
	if s.Driver == "postgres" {
		var ids []string
		if err := q.Clauses(clause.Locking{Strength: strength}).Pluck("id", &ids).Error; err != nil {
			return translate(err)
		}
		n = int64(len(ids))
	} else {
		res := q.Update("updated_at", now)
		if res.Error != nil {
			return translate(res.Error)
		}
		n = res.RowsAffected
	}
	if n == 0 {
		return s.missingOrConflict(ctx, &models.Proposal{}, id)
	}
	return nil
}

// PutBallot records a binding ballot. With replace, a voter's earlier ballot
// on the proposal is replaced (its option and id); without, a voter who has
// voted already, or a vote id seen before, changes nothing. It reports whether
// the ballot was written.
func (s *Store) PutBallot(ctx context.Context, b *models.Ballot, replace bool) (bool, error) {
	return s.putVote(ctx, b, replace)
}

// PutAdvisoryVote records the vote of a voter outside the electorate, as
// PutBallot does.
func (s *Store) PutAdvisoryVote(ctx context.Context, v *models.AdvisoryVote, replace bool) (bool, error) {
	return s.putVote(ctx, v, replace)
}

func (s *Store) putVote(ctx context.Context, row any, replace bool) (bool, error) {
	c := clause.OnConflict{DoNothing: true}
	if replace {
		c = clause.OnConflict{Columns: []clause.Column{{Name: "proposal_id"}, {Name: "voter_id"}, {Name: "slot"}},
			DoUpdates: clause.AssignmentColumns([]string{"option", "uri", "updated_at"})}
	}
	res := s.with(ctx).Clauses(c).Create(row)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected > 0, nil
}

// VoteCount is the number of votes for one option.
type VoteCount struct {
	Option string
	N      int64
}

// CountBallots counts the binding ballots by option, leaving out voters who
// are no longer active members of the community (removed before the tally),
// and the electorate E (frozen, minus those removed) and the voters T who
// cast a ballot. One pass over the electorate (a ballot's voter is always in
// it: binding ballots are only written for E) with index-only lookups
// (idx_membership_state, idx_ballot_tally, migration 0019): voters without a
// ballot come back as the NULL option. An anyOf proposal (multi) takes one
// more query for T, where a voter has several ballots.
func (s *Store) CountBallots(ctx context.Context, p *models.Proposal, multi bool) (counts []VoteCount, eligible, voters int64, err error) {
	var rows []struct {
		Option *string
		N      int64
	}
	err = s.with(ctx).Raw(`SELECT b.option AS option, count(*) AS n FROM proposal_voters v
		JOIN memberships m ON m.community_id = ? AND m.state = ? AND m.actor_id = v.actor_id
		LEFT JOIN ballots b ON b.proposal_id = v.proposal_id AND b.voter_id = v.actor_id
		WHERE v.proposal_id = ? GROUP BY b.option`, p.CommunityID, models.MembershipActive, p.ID).Scan(&rows).Error
	if err != nil {
		return nil, 0, 0, translate(err)
	}
	var none, cast int64
	for _, r := range rows {
		if r.Option == nil {
			none = r.N
			continue
		}
		counts = append(counts, VoteCount{Option: *r.Option, N: r.N})
		cast += r.N
	}
	voters = cast
	if multi && cast > 0 {
		if voters, err = s.CountVoters(ctx, p); err != nil {
			return nil, 0, 0, err
		}
	}
	return counts, none + voters, voters, nil
}

// CountAdvisoryVotes counts the advisory votes by option.
func (s *Store) CountAdvisoryVotes(ctx context.Context, proposalID string) ([]VoteCount, error) {
	var counts []VoteCount
	err := s.with(ctx).Raw(`SELECT option, count(*) AS n FROM advisory_votes WHERE proposal_id = ? GROUP BY option`, proposalID).Scan(&counts).Error
	return counts, translate(err)
}

// BallotOf returns actorID's binding ballot on the proposal (ErrNotFound: none).
func (s *Store) BallotOf(ctx context.Context, proposalID, actorID string) (*models.Ballot, error) {
	return first[models.Ballot](s.with(ctx).Where("proposal_id = ? AND voter_id = ?", proposalID, actorID))
}

// ProposalRemoteAudience lists the remote actors a proposal's activities go to
// besides the Group's followers: the remote members of its electorate and every
// remote actor who voted on it (binding or advisory).
func (s *Store) ProposalRemoteAudience(ctx context.Context, proposalID string) ([]models.Actor, error) {
	var out []models.Actor
	// A binding ballot's voter is always in the electorate (proposal_voters):
	// the ballots need no look of their own.
	err := s.with(ctx).Where("domain <> ''").
		Where("id IN (SELECT actor_id FROM proposal_voters WHERE proposal_id = ?) OR id IN (SELECT voter_id FROM advisory_votes WHERE proposal_id = ?)",
			proposalID, proposalID).
		Order("id").Find(&out).Error
	return out, translate(err)
}

// VoteByURI finds a vote (binding or advisory) by its id: its proposal and
// voter. ErrNotFound when there is none.
func (s *Store) VoteByURI(ctx context.Context, uri string) (proposalID, voterID string, err error) {
	if b, err := first[models.Ballot](s.with(ctx).Where("uri = ?", uri)); err == nil {
		return b.ProposalID, b.VoterID, nil
	} else if err != ErrNotFound {
		return "", "", err
	}
	v, err := first[models.AdvisoryVote](s.with(ctx).Where("uri = ?", uri))
	if err != nil {
		return "", "", err
	}
	return v.ProposalID, v.VoterID, nil
}

// DeleteVote removes voterID's vote with this id (binding or advisory),
// reporting whether there was one.
func (s *Store) DeleteVote(ctx context.Context, uri, voterID string) (bool, error) {
	var n int64
	for _, m := range []any{&models.Ballot{}, &models.AdvisoryVote{}} {
		res := s.with(ctx).Where("uri = ? AND voter_id = ?", uri, voterID).Delete(m)
		if res.Error != nil {
			return false, translate(res.Error)
		}
		n += res.RowsAffected
	}
	return n > 0, nil
}

// DueTallyUpdate marks that proposal id's tallies changed: it sets
// tally_due_at to at unless an update is pending already, and reports
// whether it did (then the caller schedules the update for at).
func (s *Store) DueTallyUpdate(ctx context.Context, id string, at time.Time) (bool, error) {
	res := s.with(ctx).Model(&models.Proposal{}).Where("id = ? AND state = ? AND tally_due_at IS NULL", id, models.ProposalOpen).
		Update("tally_due_at", at)
	return res.RowsAffected > 0, translate(res.Error)
}

// TakeTallyUpdate clears a pending tally update of an open proposal and
// reports whether there was one: of two workers, one sends the update.
func (s *Store) TakeTallyUpdate(ctx context.Context, id string) (bool, error) {
	res := s.with(ctx).Model(&models.Proposal{}).Where("id = ? AND state = ? AND tally_due_at IS NOT NULL", id, models.ProposalOpen).
		Update("tally_due_at", nil)
	return res.RowsAffected > 0, translate(res.Error)
}
