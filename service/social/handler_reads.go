package service

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Reads the web and API handlers need, so that they never reach the store: they
// load what is stored here and never fetch from other servers.

// MemberRow is a membership with its actor, as member lists return it.
type MemberRow = store.MemberRow

// ReplyCount counts the public and unlisted replies to n, up to max; more
// reports that there are more than max.
func (c *Communities) ReplyCount(ctx context.Context, n *models.Note, max int) (count int, more bool, err error) {
	replies, err := c.svc.Store.ListReplies(ctx, n.URI, max+1)
	if err != nil {
		return 0, false, errs.Internal(err)
	}
	if len(replies) > max {
		return max, true, nil
	}
	return len(replies), false, nil
}

// LiveNote loads a note by its row id: 404 when unknown or deleted.
func (s *Social) LiveNote(ctx context.Context, id string) (*models.Note, error) {
	n, err := s.svc.Store.NoteByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && n.DeletedAt != nil):
		return nil, errs.NotFound("note not found")
	case err != nil:
		return nil, errs.Internal(err)
	}
	return n, nil
}
