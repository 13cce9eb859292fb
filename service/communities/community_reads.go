package service

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// Read helpers for the API's views of communities: they load what is already
// stored and never fetch from other servers.

// MembershipOf returns actor's membership of group in any state (pending,
// invited, active), or nil when there is none.
func (c *Communities) MembershipOf(ctx context.Context, group, actor *models.Actor) *models.Membership {
	if group == nil || actor == nil {
		return nil
	}
	m, err := c.svc.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil {
		return nil
	}
	return m
}

// MemberCount counts a community's active members.
func (c *Communities) MemberCount(ctx context.Context, group *models.Actor) (int64, error) {
	n, err := c.svc.Store.CountMembers(ctx, group.ID, nil)
	if err != nil {
		return 0, errs.Internal(err)
	}
	return n, nil
}

// ByIDs loads known actors by row id.
func (a *Actors) ByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error) {
	out, err := a.svc.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// KnownByURI loads an actor already stored here (nil when unknown); it does not
// fetch.
func (a *Actors) KnownByURI(ctx context.Context, uri string) *models.Actor {
	act, err := a.svc.Store.ActorByURI(ctx, uri)
	if err != nil {
		return nil
	}
	return act
}
