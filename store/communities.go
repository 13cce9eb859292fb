package store

import (
	"context"
	"strings"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm/clause"
)

// CreateCommunity inserts a Group actor and its community row atomically.
func (s *Store) CreateCommunity(ctx context.Context, a *models.Actor, c *models.Community, owner *models.Membership) error {
	defer s.actorsChanged(ctx)
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.CreateActor(ctx, a); err != nil {
			return err
		}
		c.ActorID = a.ID
		if err := translate(tx.with(ctx).Create(c).Error); err != nil {
			return err
		}
		if owner != nil {
			owner.CommunityID = a.ID
			return translate(tx.with(ctx).Create(owner).Error)
		}
		return nil
	})
}

// CommunityByActorID loads a local community's settings.
func (s *Store) CommunityByActorID(ctx context.Context, actorID string) (*models.Community, error) {
	return first[models.Community](s.with(ctx).Where("actor_id = ?", actorID))
}

// UpdateCommunity saves a community's settings.
func (s *Store) UpdateCommunity(ctx context.Context, c *models.Community) error {
	defer s.actorsChanged(ctx)
	return translate(s.with(ctx).Save(c).Error)
}

// ListCommunities pages local communities (directory), newest first, optionally
// filtered by a search term on handle and name.
func (s *Store) ListCommunities(ctx context.Context, q string, limit, offset int) ([]models.Actor, error) {
	var out []models.Actor
	db := s.with(ctx).Where("domain = '' AND type = ? AND suspended = ?", models.ActorGroup, false)
	if q = strings.TrimSpace(strings.ToLower(q)); q != "" {
		like := "%" + escapeLike(q) + "%"
		db = db.Where("(username_lower LIKE ? ESCAPE '\\' OR LOWER(name) LIKE ? ESCAPE '\\')", like, like)
	}
	return out, translate(db.Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// PutMembership inserts a membership; ErrExists when the pair exists.
func (s *Store) PutMembership(ctx context.Context, m *models.Membership) error {
	defer s.actorsChanged(ctx) // the Group's document shows its member count
	return translate(s.with(ctx).Create(m).Error)
}

// Membership loads the membership of actor in community.
func (s *Store) Membership(ctx context.Context, communityID, actorID string) (*models.Membership, error) {
	return first[models.Membership](s.with(ctx).Where("community_id = ? AND actor_id = ?", communityID, actorID))
}

// MembershipByID loads a membership.
func (s *Store) MembershipByID(ctx context.Context, id string) (*models.Membership, error) {
	return first[models.Membership](s.with(ctx).Where("id = ?", id))
}

// MembershipByURI loads a membership by its Join activity id.
func (s *Store) MembershipByURI(ctx context.Context, uri string) (*models.Membership, error) {
	return first[models.Membership](s.with(ctx).Where("uri = ?", uri))
}

// TransitionMembership moves a membership from one of the states in from to to
// (with the columns in extra) and, only if that succeeded, logs the role change
// log (nil: nothing to log). ErrConflict/ErrNotFound as Transition. Run it in the
// transaction of the change's other side effects.
func (s *Store) TransitionMembership(ctx context.Context, id string, from []string, to string, extra map[string]any, log *models.RoleChange) error {
	defer s.actorsChanged(ctx)
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.Transition(ctx, &models.Membership{}, id, from, to, extra); err != nil {
			return err
		}
		if log != nil {
			return translate(tx.with(ctx).Create(log).Error)
		}
		return nil
	})
}

// SetMembershipRole changes an active member's role from oldRole to newRole and
// logs it; ErrConflict when the membership is no longer active in oldRole.
func (s *Store) SetMembershipRole(ctx context.Context, id, oldRole, newRole string, log *models.RoleChange) error {
	defer s.actorsChanged(ctx)
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.TransitionIf(ctx, &models.Membership{}, id, Guard{"state": models.MembershipActive, "role": oldRole},
			map[string]any{"role": newRole})
		if err != nil {
			return err
		}
		if log != nil {
			return translate(tx.with(ctx).Create(log).Error)
		}
		return nil
	})
}

// RemoveMembership deletes a membership if it is still in one of the states in
// from (nil: any) — a refused request, a leave, an expired intent.
func (s *Store) RemoveMembership(ctx context.Context, id string, from []string) error {
	defer s.actorsChanged(ctx)
	var g Guard
	if from != nil {
		g = Guard{"state": from}
	}
	return s.RemoveIf(ctx, &models.Membership{}, id, g)
}

// RemoveMembershipAsRead deletes m only if its state and role are still those
// read into m: a member leaving is refused (ErrConflict) when a maintainer
// approved, or a steward promoted them, in the meantime.
func (s *Store) RemoveMembershipAsRead(ctx context.Context, m *models.Membership) error {
	defer s.actorsChanged(ctx)
	return s.RemoveIf(ctx, &models.Membership{}, m.ID, Guard{"state": m.State, "role": m.Role})
}

// LockCommunity takes the community's row lock until the transaction ends
// (PostgreSQL; SQLite transactions are already exclusive), so that a rule over
// several memberships — "a community keeps a steward" — is checked and kept by
// one transaction at a time. Call it on a Store bound to a transaction.
func (s *Store) LockCommunity(ctx context.Context, actorID string) error {
	if s.Driver != "postgres" {
		return nil
	}
	var c models.Community
	return translate(s.with(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("actor_id = ?", actorID).Take(&c).Error)
}

// LogRoleChange records a role change.
func (s *Store) LogRoleChange(ctx context.Context, log *models.RoleChange) error {
	return translate(s.with(ctx).Create(log).Error)
}

// MemberRow is a membership with its actor.
type MemberRow struct {
	Membership models.Membership
	Actor      models.Actor
}

// ListMembers pages a community's memberships in a state, with their actors.
func (s *Store) ListMembers(ctx context.Context, communityID, state string, roles []string, limit, offset int) ([]MemberRow, error) {
	var ms []models.Membership
	q := s.with(ctx).Where("community_id = ? AND state = ?", communityID, state)
	if len(roles) > 0 {
		q = q.Where("role IN ?", roles)
	}
	if err := q.Order("created_at, id").Limit(limit).Offset(offset).Find(&ms).Error; err != nil {
		return nil, translate(err)
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ActorID
	}
	actors, err := s.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]MemberRow, 0, len(ms))
	for _, m := range ms {
		if a, ok := actors[m.ActorID]; ok {
			out = append(out, MemberRow{Membership: m, Actor: *a})
		}
	}
	return out, nil
}

// CountMembers counts active members (optionally of some roles).
func (s *Store) CountMembers(ctx context.Context, communityID string, roles []string) (int64, error) {
	var n int64
	q := s.with(ctx).Model(&models.Membership{}).Where("community_id = ? AND state = ?", communityID, models.MembershipActive)
	if len(roles) > 0 {
		q = q.Where("role IN ?", roles)
	}
	return n, translate(q.Count(&n).Error)
}

// ListRoleChanges lists a community's role log, newest first.
func (s *Store) ListRoleChanges(ctx context.Context, communityID string, limit int) ([]models.RoleChange, error) {
	var out []models.RoleChange
	return out, translate(s.with(ctx).Where("community_id = ?", communityID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error)
}

// CreateContribution inserts a contribution.
func (s *Store) CreateContribution(ctx context.Context, c *models.Contribution) error {
	return translate(s.with(ctx).Create(c).Error)
}

// TransitionContribution moves a contribution from one of the states in from to
// to, setting the columns in extra (decided_by_id, accepted_at, reason);
// ErrConflict when it was decided (or changed) first.
func (s *Store) TransitionContribution(ctx context.Context, id string, from []string, to string, extra map[string]any) error {
	return s.Transition(ctx, &models.Contribution{}, id, from, to, extra)
}

// ContributionByID loads a contribution.
func (s *Store) ContributionByID(ctx context.Context, id string) (*models.Contribution, error) {
	return first[models.Contribution](s.with(ctx).Where("id = ?", id))
}

// ContributionByURI loads a contribution by its object id.
func (s *Store) ContributionByURI(ctx context.Context, uri string) (*models.Contribution, error) {
	return first[models.Contribution](s.with(ctx).Where("uri = ?", uri))
}

// ContributionByOfferURI loads a contribution by the id of the Offer that carried it.
func (s *Store) ContributionByOfferURI(ctx context.Context, uri string) (*models.Contribution, error) {
	return first[models.Contribution](s.with(ctx).Where("offer_uri = ?", uri))
}

// ListContributions pages a community's contributions in the given states, newest
// first (accepted ones by acceptance), with an optional search on title and body.
func (s *Store) ListContributions(ctx context.Context, communityID string, states []string, q string, limit, offset int) ([]models.Contribution, error) {
	var out []models.Contribution
	db := s.with(ctx).Where("community_id = ? AND state IN ?", communityID, states)
	if q = strings.TrimSpace(strings.ToLower(q)); q != "" {
		like := "%" + escapeLike(q) + "%"
		db = db.Where("(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(body) LIKE ? ESCAPE '\\')", like, like)
	}
	order := "created_at DESC, id DESC"
	if len(states) == 1 && states[0] == models.ContributionAccepted {
		order = "accepted_at DESC, id DESC"
	}
	return out, translate(db.Order(order).Limit(limit).Offset(offset).Find(&out).Error)
}

// CountContributions counts a community's contributions in the given states.
func (s *Store) CountContributions(ctx context.Context, communityID string, states []string) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.Contribution{}).Where("community_id = ? AND state IN ?", communityID, states).Count(&n).Error)
}

// AddReviewComment stores a review comment.
func (s *Store) AddReviewComment(ctx context.Context, c *models.ReviewComment) error {
	return translate(s.with(ctx).Create(c).Error)
}

// ReviewComments lists a contribution's comments, oldest first.
func (s *Store) ReviewComments(ctx context.Context, contributionID string) ([]models.ReviewComment, error) {
	var out []models.ReviewComment
	return out, translate(s.with(ctx).Where("contribution_id = ?", contributionID).Order("created_at, id").Find(&out).Error)
}

// AddLedgerEntries records ledger entries.
func (s *Store) AddLedgerEntries(ctx context.Context, entries []models.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return translate(s.with(ctx).Create(&entries).Error)
}

// LedgerEntryByID loads a ledger entry.
func (s *Store) LedgerEntryByID(ctx context.Context, id string) (*models.LedgerEntry, error) {
	return first[models.LedgerEntry](s.with(ctx).Where("id = ?", id))
}

// SetLedgerWeight changes an entry's weight.
func (s *Store) SetLedgerWeight(ctx context.Context, id string, weight int, by string) error {
	return translate(s.with(ctx).Model(&models.LedgerEntry{}).Where("id = ?", id).Updates(map[string]any{"weight": weight, "set_by_id": by}).Error)
}

// Ledger pages a community's ledger, newest first.
func (s *Store) Ledger(ctx context.Context, communityID string, limit, offset int) ([]models.LedgerEntry, error) {
	var out []models.LedgerEntry
	return out, translate(s.with(ctx).Where("community_id = ?", communityID).Order("recorded_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error)
}

// CountLedger counts a community's ledger entries.
func (s *Store) CountLedger(ctx context.Context, communityID string) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.LedgerEntry{}).Where("community_id = ?", communityID).Count(&n).Error)
}

// ListDiscussions pages the top-level posts of a community (public and unlisted
// notes whose audience is the Group), newest first. A followers-only or direct
// note never is a community post, whatever its audience says.
func (s *Store) ListDiscussions(ctx context.Context, groupURI string, limit, offset int) ([]models.Note, error) {
	var out []models.Note
	q := s.with(ctx).Table("notes").Where("notes.audience_uri = ? AND notes.deleted_at IS NULL AND notes.in_reply_to_uri = ''", groupURI)
	err := PublicNotes.where(q).Order("published DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// ListReplies lists the public and unlisted replies to a note, oldest first
// (what a thread shows and counts; followers-only and direct replies stay out).
func (s *Store) ListReplies(ctx context.Context, noteURI string, limit int) ([]models.Note, error) {
	var out []models.Note
	err := s.with(ctx).Where("in_reply_to_uri = ? AND deleted_at IS NULL AND visibility IN ?", noteURI,
		[]string{models.VisibilityPublic, models.VisibilityUnlisted}).Order("published, id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// SetNoteLocked locks or unlocks a thread.
func (s *Store) SetNoteLocked(ctx context.Context, id string, locked bool) error {
	return translate(s.with(ctx).Model(&models.Note{}).Where("id = ?", id).Update("locked", locked).Error)
}
