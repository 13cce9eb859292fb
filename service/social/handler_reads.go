package social

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Reads the web and API handlers need, so that they never reach the store: they
// load what is stored here and never fetch from other servers.

// LiveNote loads a note by its row id: 404 when unknown or deleted.
func (s *Social) LiveNote(ctx context.Context, id string) (*models.Note, error) {
	n, err := s.d.Store.NoteByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && n.DeletedAt != nil):
		return nil, errs.NotFound("note not found")
	case err != nil:
		return nil, errs.Internal(err)
	}
	return n, nil
}
