package service

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// FollowView is a follow with the actor on its other end.
type FollowView struct {
	Follow models.Follow
	Actor  *models.Actor // the followed actor (Following) or the follower (FollowRequests)
}

// Following pages whom follower follows, pending requests included, newest first.
func (s *Social) Following(ctx context.Context, follower *models.Actor, limit, offset int) ([]FollowView, error) {
	list, err := s.svc.Store.ListFollowsBy(ctx, follower.ID, pageLimit(limit), max(offset, 0))
	if err != nil {
		return nil, errs.Internal(err)
	}
	return s.followViews(ctx, list, func(f models.Follow) string { return f.TargetID })
}

// FollowRequests pages the pending follows of target (an actor that approves
// followers manually), oldest first.
func (s *Social) FollowRequests(ctx context.Context, target *models.Actor, limit, offset int) ([]FollowView, error) {
	list, err := s.svc.Store.ListFollowsOf(ctx, target.ID, models.FollowPending, pageLimit(limit), max(offset, 0))
	if err != nil {
		return nil, errs.Internal(err)
	}
	return s.followViews(ctx, list, func(f models.Follow) string { return f.FollowerID })
}

// FollowOf returns follower's follow of target, or nil when there is none.
func (s *Social) FollowOf(ctx context.Context, follower, target *models.Actor) (*models.Follow, error) {
	f, err := s.svc.Store.FollowByPair(ctx, follower.ID, target.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return f, nil
}

func (s *Social) followViews(ctx context.Context, list []models.Follow, other func(models.Follow) string) ([]FollowView, error) {
	ids := make([]string, len(list))
	for i, f := range list {
		ids[i] = other(f)
	}
	actors, err := s.svc.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]FollowView, 0, len(list))
	for _, f := range list {
		if a := actors[other(f)]; a != nil {
			out = append(out, FollowView{Follow: f, Actor: a})
		}
	}
	return out, nil
}

func pageLimit(limit int) int {
	if limit <= 0 || limit > 200 {
		return 50
	}
	return limit
}
