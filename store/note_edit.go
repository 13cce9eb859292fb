package store

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// EditNote saves an author's edit of a note that is not deleted: its
// content, source, summary, name, sensitivity, addressing and edit time, and
// replaces its tags. The update is conditional (deleted_at IS NULL), so an
// edit racing a Delete cannot bring the note back: ErrNotFound then.
func (s *Store) EditNote(ctx context.Context, n *models.Note, tags []models.NoteTag) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Note{}).Where("id = ? AND deleted_at IS NULL", n.ID).Updates(map[string]any{
			"content": n.Content, "source": n.Source, "summary": n.Summary, "name": n.Name,
			"sensitive": n.Sensitive, "to": n.To, "cc": n.CC, "edited_at": n.EditedAt,
		})
		if err := translate(res.Error); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := translate(tx.with(ctx).Where("note_id = ?", n.ID).Delete(&models.NoteTag{}).Error); err != nil {
			return err
		}
		for i := range tags {
			tags[i].ID = models.NewID()
			tags[i].NoteID = n.ID
		}
		if len(tags) > 0 {
			return translate(tx.with(ctx).Create(&tags).Error)
		}
		return nil
	})
}
