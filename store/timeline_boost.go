package store

import (
	"context"
)

// AddBoostToTimelines puts a boost of note by boostedByID in the home timelines
// of owners who do not have that note in their timeline yet (a post reaches a
// reader once: the author's followers already got it directly).
func (s *Store) AddBoostToTimelines(ctx context.Context, noteID, boostedByID string, owners []string) error {
	if len(owners) == 0 {
		return nil
	}
	var have []string
	if err := s.with(ctx).Table("timeline_entries").Where("note_id = ? AND owner_id IN ?", noteID, owners).
		Pluck("owner_id", &have).Error; err != nil {
		return translate(err)
	}
	skip := map[string]bool{}
	for _, o := range have {
		skip[o] = true
	}
	var rest []string
	for _, o := range owners {
		if !skip[o] {
			skip[o] = true
			rest = append(rest, o)
		}
	}
	return s.AddToTimelines(ctx, noteID, boostedByID, rest)
}
