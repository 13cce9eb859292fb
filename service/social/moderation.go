package social

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// RemoveNote deletes a note on a moderator's decision (the caller checked who
// may): a local note is tombstoned and its Delete goes out from its author, as
// Mastodon's moderators delete; a remote note is tombstoned here only.
func (s *Social) RemoveNote(ctx context.Context, n *models.Note) error {
	if n.DeletedAt != nil {
		return nil
	}
	author, err := s.d.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return errs.Internal(err)
	}
	return s.deleteNote(ctx, author, n, "")
}
