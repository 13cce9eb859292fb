package store

import (
	"context"
	"strings"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
)

// Search. PostgreSQL matches notes by full-text search over the GIN index of
// migration 0011 (NoteSearchVector, websearch_to_tsquery: quotes, "or" and
// "-word" work as on a web search engine, and no input is a syntax error);
// SQLite, the fallback, matches every word as a case-insensitive substring
// (LIKE with %, _ and \ escaped, so they are plain characters). People,
// communities and tags are matched by prefix or substring on both.

// maxSearchTerms bounds the words of a SQLite search (each is one LIKE).
const maxSearchTerms = 8

// likeContains is a LIKE pattern matching s anywhere, s taken literally.
func likeContains(s string) string { return "%" + likeEscaper.Replace(strings.ToLower(s)) + "%" }

// SearchActors finds actors of a type by username or display name (substring,
// any case), not suspended nor deleted: exact usernames first, then local ones.
func (s *Store) SearchActors(ctx context.Context, q, typ string, limit int) ([]models.Actor, error) {
	var out []models.Actor
	q = strings.ToLower(strings.TrimSpace(q))
	pat := likeContains(q)
	err := s.with(ctx).Where(`type = ? AND suspended = ? AND deleted_at IS NULL
		AND (username_lower LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`, typ, false, pat, pat).
		Order(gorm.Expr("CASE WHEN username_lower = ? THEN 0 ELSE 1 END, CASE WHEN domain = '' THEN 0 ELSE 1 END, username_lower, domain", q)).
		Limit(limit).Find(&out).Error
	return out, translate(err)
}

// SearchNotes finds undeleted notes in scope whose text matches q, by authors
// neither suspended nor deleted, newest first.
func (s *Store) SearchNotes(ctx context.Context, q string, scope NoteScope, limit, offset int) ([]models.Note, error) {
	var out []models.Note
	tx := s.with(ctx).Table("notes").Select("notes.*").
		Joins("JOIN actors au ON au.id = notes.author_id").
		Where("notes.deleted_at IS NULL AND au.suspended = ? AND au.deleted_at IS NULL", false)
	if s.Driver == "postgres" {
		tx = tx.Where(NoteSearchVector+" @@ websearch_to_tsquery('simple', ?)", q)
	} else {
		terms := strings.Fields(q)
		if len(terms) > maxSearchTerms {
			terms = terms[:maxSearchTerms]
		}
		if len(terms) == 0 {
			return nil, nil
		}
		for _, t := range terms {
			t = strings.Trim(t, `"`)
			if t == "" {
				continue
			}
			p := likeContains(t)
			tx = tx.Where(`(LOWER(notes.content) LIKE ? ESCAPE '\' OR LOWER(COALESCE(notes.name, '')) LIKE ? ESCAPE '\')`, p, p)
		}
	}
	err := scope.where(tx).Order("notes.published DESC, notes.id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// TagCount is a hashtag and how many public notes carry it.
type TagCount struct {
	Name  string // without '#', lower case
	Count int64
}

// SearchTags finds hashtags of public, undeleted notes starting with prefix
// (without '#'), the most used first.
func (s *Store) SearchTags(ctx context.Context, prefix string, limit int) ([]TagCount, error) {
	var rows []TagCount
	pat := "#" + likeEscaper.Replace(strings.ToLower(prefix)) + "%"
	err := s.with(ctx).Table("note_tags").
		Select("LOWER(note_tags.name) AS name, COUNT(*) AS count").
		Joins("JOIN notes ON notes.id = note_tags.note_id").
		Where(`note_tags.type = ? AND LOWER(note_tags.name) LIKE ? ESCAPE '\' AND notes.visibility = ? AND notes.deleted_at IS NULL`,
			"Hashtag", pat, models.VisibilityPublic).
		Group("LOWER(note_tags.name)").Order("count DESC, name").Limit(limit).Scan(&rows).Error
	for i := range rows {
		rows[i].Name = strings.TrimPrefix(rows[i].Name, "#")
	}
	return rows, translate(err)
}
