package social

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// FollowRequests pages the pending follows of target (an actor that approves
// followers manually), newest first.
func (s *Social) FollowRequests(ctx context.Context, target *models.Actor, limit, offset int) ([]FollowEntry, error) {
	return s.Followers(ctx, target, models.FollowPending, pageLimit(limit), max(offset, 0))
}

// FollowOf returns follower's follow of target, or nil when there is none.
func (s *Social) FollowOf(ctx context.Context, follower, target *models.Actor) (*models.Follow, error) {
	f, err := s.d.Store.FollowByPair(ctx, follower.ID, target.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return f, nil
}

func pageLimit(limit int) int {
	if limit <= 0 || limit > 200 {
		return 50
	}
	return limit
}
