package store

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// CommunityOfMember is one community an actor belongs to, as a profile lists it.
type CommunityOfMember struct {
	Membership models.Membership
	Group      models.Actor
	Community  models.Community
}

// CommunitiesOf lists the communities (local ones, which have a community row)
// in which actorID's membership is active, oldest membership first. publicOnly
// keeps those whose member list is public.
func (s *Store) CommunitiesOf(ctx context.Context, actorID string, publicOnly bool, limit int) ([]CommunityOfMember, error) {
	var ms []models.Membership
	q := s.with(ctx).Table("memberships").Select("memberships.*").
		Joins("JOIN communities ON communities.actor_id = memberships.community_id").
		Where("memberships.actor_id = ? AND memberships.state = ?", actorID, models.MembershipActive)
	if publicOnly {
		q = q.Where("communities.members_public = ?", true)
	}
	if err := q.Order("memberships.created_at, memberships.id").Limit(limit).Find(&ms).Error; err != nil {
		return nil, translate(err)
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.CommunityID
	}
	actors, err := s.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var coms []models.Community
	if len(ids) > 0 {
		if err := s.with(ctx).Where("actor_id IN ?", ids).Find(&coms).Error; err != nil {
			return nil, translate(err)
		}
	}
	byID := map[string]models.Community{}
	for _, c := range coms {
		byID[c.ActorID] = c
	}
	out := make([]CommunityOfMember, 0, len(ms))
	for _, m := range ms {
		a, ok := actors[m.CommunityID]
		c, ok2 := byID[m.CommunityID]
		if ok && ok2 {
			out = append(out, CommunityOfMember{Membership: m, Group: *a, Community: c})
		}
	}
	return out, nil
}

// ContributionsBy lists the contributions first offered by actorID in the given
// states, newest first.
func (s *Store) ContributionsBy(ctx context.Context, actorID string, states []string, limit int) ([]models.Contribution, error) {
	var out []models.Contribution
	err := s.with(ctx).Where("contributor_id = ? AND state IN ?", actorID, states).
		Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
