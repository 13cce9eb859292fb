package store

import (
	"context"
	"encoding/json"

	"github.com/commonsd/commonsd/models"
)

// EditNote saves an author's edit of a note that is not deleted: its
// content, source, summary, name, sensitivity, addressing and edit time, and
// replaces its tags. Like UpdateNote it is conditional (deleted_at IS NULL), so
// an edit racing a Delete cannot bring the note back.
func (s *Store) EditNote(ctx context.Context, n *models.Note, tags []models.NoteTag) error {
	// A map update bypasses the model's JSON serializer: write the lists as it does.
	to, err := json.Marshal(n.To)
	if err != nil {
		return err
	}
	cc, err := json.Marshal(n.CC)
	if err != nil {
		return err
	}
	return s.editNote(ctx, n.ID, map[string]any{
		"content": n.Content, "source": n.Source, "summary": n.Summary, "name": n.Name,
		"sensitive": n.Sensitive, "to": string(to), "cc": string(cc), "edited_at": n.EditedAt,
	}, tags)
}
