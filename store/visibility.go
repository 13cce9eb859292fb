package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
)

// NoteScope is who reads a list of notes, as SQL conditions on the notes table,
// so that lists are filtered before they are paged. The service builds it
// (service.Service.NoteScope): the rule of who sees what lives there, this is
// only its translation into SQL.
type NoteScope struct {
	// Visibilities every reader of the listing sees (public, unlisted, or just
	// public for tag pages). Empty means none.
	Visibilities []string
	// Reader is a local actor reading: they also see their own notes, notes delivered to their timeline, followers-only notes of actors they
	// follow and notes that address or mention them. nil for anonymous readers.
	Reader *models.Actor
}

// PublicNotes is the scope of anonymous readers of a list that shows unlisted
// notes too (a community's discussions, a profile).
var PublicNotes = NoteScope{Visibilities: []string{models.VisibilityPublic, models.VisibilityUnlisted}}

// likeEscaper escapes LIKE wildcards so that an IRI matches only itself.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// addressPattern matches uri as one element of a JSON array column (to, cc).
func addressPattern(uri string) string {
	b, _ := json.Marshal(uri)
	return "%" + likeEscaper.Replace(string(b)) + "%"
}

// where is the scope's condition on the table "notes".
func (sc NoteScope) where(q *gorm.DB) *gorm.DB {
	vis := sc.Visibilities
	if len(vis) == 0 {
		vis = []string{"-"}
	}
	if sc.Reader == nil || !sc.Reader.Local() {
		return q.Where("notes.visibility IN ?", vis)
	}
	r := sc.Reader
	pat := addressPattern(r.URI)
	return q.Where(`(notes.visibility IN ? OR notes.author_id = ?
		OR EXISTS (SELECT 1 FROM timeline_entries te WHERE te.note_id = notes.id AND te.owner_id = ? AND te.boosted_by_id = '')
		OR (notes.visibility = ? AND EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.target_id = notes.author_id AND f.state = ?))
		OR EXISTS (SELECT 1 FROM note_tags nt WHERE nt.note_id = notes.id AND nt.type = 'Mention' AND nt.href = ?)
		OR notes."to" LIKE ? ESCAPE '\' OR notes.cc LIKE ? ESCAPE '\')`,
		vis, r.ID, r.ID, models.VisibilityFollowers, r.ID, models.FollowAccepted, r.URI, pat, pat)
}

// NoteVisible reports whether the note with id is in the scope.
func (s *Store) NoteVisible(ctx context.Context, id string, sc NoteScope) (bool, error) {
	var n int64
	err := sc.where(s.with(ctx).Table("notes").Where("notes.id = ?", id)).Count(&n).Error
	return n > 0, translate(err)
}

// HasFollowerOnHost reports whether actorID has an accepted follower whose id
// lives on host (scheme://host/...): a server with a follower may fetch the
// actor's followers-only notes with a signed GET, as on Mastodon.
func (s *Store) HasFollowerOnHost(ctx context.Context, actorID, host string) (bool, error) {
	var n int64
	h := likeEscaper.Replace(strings.ToLower(host))
	err := s.with(ctx).Table("follows").Joins("JOIN actors ON actors.id = follows.follower_id").
		Where(`follows.target_id = ? AND follows.state = ? AND (LOWER(actors.uri) LIKE ? ESCAPE '\' OR LOWER(actors.uri) LIKE ? ESCAPE '\')`,
			actorID, models.FollowAccepted, "http://"+h+"/%", "https://"+h+"/%").Count(&n).Error
	return n > 0, translate(err)
}
