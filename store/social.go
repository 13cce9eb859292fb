package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/commonsd/commonsd/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateFollow inserts a follow; an existing pair gives ErrExists.
func (s *Store) CreateFollow(ctx context.Context, f *models.Follow) error {
	return translate(s.with(ctx).Create(f).Error)
}

// FollowByPair loads the follow of follower → target.
func (s *Store) FollowByPair(ctx context.Context, followerID, targetID string) (*models.Follow, error) {
	return first[models.Follow](s.with(ctx).Where("follower_id = ? AND target_id = ?", followerID, targetID))
}

// FollowByURI loads a follow by its activity id.
func (s *Store) FollowByURI(ctx context.Context, uri string) (*models.Follow, error) {
	return first[models.Follow](s.with(ctx).Where("uri = ?", uri))
}

// FollowByID loads a follow.
func (s *Store) FollowByID(ctx context.Context, id string) (*models.Follow, error) {
	return first[models.Follow](s.with(ctx).Where("id = ?", id))
}

// TransitionFollow moves a follow from one of the states in from to to;
// ErrConflict when it was answered (or changed) first, ErrNotFound when undone.
func (s *Store) TransitionFollow(ctx context.Context, id string, from []string, to string) error {
	return s.Transition(ctx, &models.Follow{}, id, from, to, nil)
}

// RemoveFollow deletes a follow if it is in one of the states in from (nil: any)
// — a refused request, an Undo, a block; ErrNotFound when it is already gone.
func (s *Store) RemoveFollow(ctx context.Context, id string, from []string) error {
	var g Guard
	if from != nil {
		g = Guard{"state": from}
	}
	return s.RemoveIf(ctx, &models.Follow{}, id, g)
}

// DeleteFollowsOf removes every follow from or to an actor (actor deleted).
func (s *Store) DeleteFollowsOf(ctx context.Context, actorID string) error {
	return translate(s.with(ctx).Where("follower_id = ? OR target_id = ?", actorID, actorID).Delete(&models.Follow{}).Error)
}

// FollowPage is one page of a follow list with the actors.
type FollowPage struct {
	Follows []models.Follow
	Actors  map[string]*models.Actor
}

// FollowsBy pages the follows follower made (state "" = any), newest first, with
// their targets in Actors.
func (s *Store) FollowsBy(ctx context.Context, followerID, state string, limit, offset int) (*FollowPage, error) {
	q := s.with(ctx).Where("follower_id = ?", followerID)
	return s.followPage(ctx, q, state, "target", limit, offset)
}

// FollowsOf pages the follows of target (state "" = any), newest first, with their
// followers in Actors.
func (s *Store) FollowsOf(ctx context.Context, targetID, state string, limit, offset int) (*FollowPage, error) {
	q := s.with(ctx).Where("target_id = ?", targetID)
	return s.followPage(ctx, q, state, "follower", limit, offset)
}

func (s *Store) followPage(ctx context.Context, q *gorm.DB, state, side string, limit, offset int) (*FollowPage, error) {
	if state != "" {
		q = q.Where("state = ?", state)
	}
	page := &FollowPage{}
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&page.Follows).Error; err != nil {
		return nil, translate(err)
	}
	ids := make([]string, 0, len(page.Follows))
	for _, f := range page.Follows {
		if side == "target" {
			ids = append(ids, f.TargetID)
		} else {
			ids = append(ids, f.FollowerID)
		}
	}
	actors, err := s.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	page.Actors = actors
	return page, nil
}

// ListFollowers pages accepted (or pending) followers of target, newest first.
func (s *Store) ListFollowers(ctx context.Context, targetID, state string, limit, offset int) ([]models.Actor, error) {
	var out []models.Actor
	err := s.with(ctx).Table("actors").Select("actors.*").
		Joins("JOIN follows ON follows.follower_id = actors.id").
		Where("follows.target_id = ? AND follows.state = ?", targetID, state).
		Order("follows.created_at DESC, follows.id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// ListFollowing pages the actors follower follows (accepted), newest first.
func (s *Store) ListFollowing(ctx context.Context, followerID string, limit, offset int) ([]models.Actor, error) {
	var out []models.Actor
	err := s.with(ctx).Table("actors").Select("actors.*").
		Joins("JOIN follows ON follows.target_id = actors.id").
		Where("follows.follower_id = ? AND follows.state = ?", followerID, models.FollowAccepted).
		Order("follows.created_at DESC, follows.id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CountFollowers counts accepted followers.
func (s *Store) CountFollowers(ctx context.Context, targetID string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Follow{}).Where("target_id = ? AND state = ?", targetID, models.FollowAccepted).Count(&n).Error
	return n, translate(err)
}

// CountFollowing counts accepted follows.
func (s *Store) CountFollowing(ctx context.Context, followerID string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Follow{}).Where("follower_id = ? AND state = ?", followerID, models.FollowAccepted).Count(&n).Error
	return n, translate(err)
}

// FollowerInboxes returns the distinct delivery inboxes of target's remote followers:
// the shared inbox where one is advertised, the personal inbox otherwise.
func (s *Store) FollowerInboxes(ctx context.Context, targetID string) ([]string, error) {
	var out []string
	err := s.with(ctx).Table("actors").
		Select("DISTINCT CASE WHEN actors.shared_inbox <> '' THEN actors.shared_inbox ELSE actors.inbox_uri END").
		Joins("JOIN follows ON follows.follower_id = actors.id").
		Where("follows.target_id = ? AND follows.state = ? AND actors.domain <> ''", targetID, models.FollowAccepted).
		Scan(&out).Error
	return out, translate(err)
}

// LocalFollowerIDs returns the local actors following target (timeline fan-out).
// In a unit of work it is read once per target (uowState).
func (s *Store) LocalFollowerIDs(ctx context.Context, targetID string) ([]string, error) {
	u := s.uowState(ctx)
	if u != nil {
		if ids, ok := u.localFollowers(targetID); ok {
			return ids, nil
		}
	}
	var out []string
	err := s.with(ctx).Table("follows").Select("follows.follower_id").
		Joins("JOIN actors ON actors.id = follows.follower_id").
		Where("follows.target_id = ? AND follows.state = ? AND actors.domain = ''", targetID, models.FollowAccepted).
		Scan(&out).Error
	if err == nil && u != nil {
		u.keepLocalFollowers(targetID, out)
	}
	return out, translate(err)
}

// CreateNote inserts a note with its tags.
func (s *Store) CreateNote(ctx context.Context, n *models.Note, tags []models.NoteTag) error {
	return s.Tx(ctx, func(tx *Store) error {
		if u := tx.uowState(ctx); u != nil {
			u.creatingNote(n.URI)
		}
		if err := translate(tx.with(ctx).Create(n).Error); err != nil {
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

// UpdateNote saves what an edit may change in a live note (content, summary,
// name, sensitive, attachments, edited_at) and replaces its tags. It is conditional on the
// note not being deleted — not a full-row save of a copy read earlier — so an
// edit racing a Delete cannot bring the content back: ErrConflict then.
func (s *Store) UpdateNote(ctx context.Context, n *models.Note, tags []models.NoteTag) error {
	// A map update bypasses the model's JSON serializer: write the list as it does.
	atts, err := json.Marshal(n.Attachments)
	if err != nil {
		return err
	}
	return s.editNote(ctx, n.ID, map[string]any{
		"content": n.Content, "summary": n.Summary, "name": n.Name, "sensitive": n.Sensitive, "edited_at": n.EditedAt,
		"attachments": string(atts)}, tags)
}

// editNote writes fields of a note that is not deleted and replaces its tags,
// in one transaction. The update is conditional (deleted_at IS NULL), so an
// edit racing a Delete cannot bring the note back.
func (s *Store) editNote(ctx context.Context, id string, fields map[string]any, tags []models.NoteTag) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Note{}).Where("id = ? AND deleted_at IS NULL", id).Updates(fields)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return tx.missingOrConflict(ctx, &models.Note{}, id)
		}
		if err := translate(tx.with(ctx).Where("note_id = ?", id).Delete(&models.NoteTag{}).Error); err != nil {
			return err
		}
		for i := range tags {
			tags[i].ID = models.NewID()
			tags[i].NoteID = id
		}
		if len(tags) > 0 {
			return translate(tx.with(ctx).Create(&tags).Error)
		}
		return nil
	})
}

// NoteByURI loads a note (deleted ones too: callers serve a Tombstone).
func (s *Store) NoteByURI(ctx context.Context, uri string) (*models.Note, error) {
	if u := s.uowState(ctx); u != nil && u.absentNotes[uri] {
		return nil, ErrNotFound
	}
	return first[models.Note](s.with(ctx).Where("uri = ?", uri))
}

// KnowNotes reads which of uris are notes, in one query, so that in the unit
// of work of ctx NoteByURI answers the others (ErrNotFound) without one: the
// processing job asks once for the notes its batch's Creates would store,
// instead of once per Create. Without a unit of work it does nothing.
func (s *Store) KnowNotes(ctx context.Context, uris []string) error {
	u := s.uowState(ctx)
	if u == nil || len(uris) == 0 {
		return nil
	}
	var found []string
	if err := s.with(ctx).Model(&models.Note{}).Where(s.anyOf("uri", uris)).Pluck("uri", &found).Error; err != nil {
		return translate(err)
	}
	if u.absentNotes == nil {
		u.absentNotes = make(map[string]bool, len(uris))
	}
	for _, uri := range uris {
		u.absentNotes[uri] = true
	}
	for _, uri := range found {
		delete(u.absentNotes, uri)
	}
	return nil
}

// NoteByID loads a note.
func (s *Store) NoteByID(ctx context.Context, id string) (*models.Note, error) {
	return first[models.Note](s.with(ctx).Where("id = ?", id))
}

// NoteTags loads a note's tags.
func (s *Store) NoteTags(ctx context.Context, noteID string) ([]models.NoteTag, error) {
	var out []models.NoteTag
	return out, translate(s.with(ctx).Where("note_id = ?", noteID).Order("id").Find(&out).Error)
}

// NoteTagsOf loads the tags of several notes, by note id.
func (s *Store) NoteTagsOf(ctx context.Context, noteIDs []string) (map[string][]models.NoteTag, error) {
	out := map[string][]models.NoteTag{}
	if len(noteIDs) == 0 {
		return out, nil
	}
	var list []models.NoteTag
	if err := s.with(ctx).Where("note_id IN ?", noteIDs).Order("id").Find(&list).Error; err != nil {
		return nil, translate(err)
	}
	for _, t := range list {
		out[t.NoteID] = append(out[t.NoteID], t)
	}
	return out, nil
}

// MarkNoteDeleted is TombstoneNote for callers to whom a note already deleted,
// or unknown, is no error (a relayed Delete).
func (s *Store) MarkNoteDeleted(ctx context.Context, id string, at time.Time) error {
	if err := s.TombstoneNote(ctx, id, at); err != nil && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// TombstoneNote turns a live note into a tombstone and removes it from timelines,
// conditionally: ErrConflict when it is already deleted, so of two racing
// deletions only one goes on to publish the Delete.
func (s *Store) TombstoneNote(ctx context.Context, id string, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.with(ctx).Model(&models.Note{}).Where("id = ? AND deleted_at IS NULL", id).
			Updates(map[string]any{"deleted_at": at, "content": "", "source": "", "summary": "", "name": ""})
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return tx.missingOrConflict(ctx, &models.Note{}, id)
		}
		if err := translate(tx.with(ctx).Where("note_id = ?", id).Delete(&models.NoteTag{}).Error); err != nil {
			return err
		}
		return translate(tx.with(ctx).Where("note_id = ?", id).Delete(&models.TimelineEntry{}).Error)
	})
}

// DeleteContentOf tombstones every note of an actor and drops its timeline entries
// (a remote actor was deleted).
func (s *Store) DeleteContentOf(ctx context.Context, actorID string, at time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		sub := tx.with(ctx).Model(&models.Note{}).Select("id").Where("author_id = ?", actorID)
		if err := translate(tx.with(ctx).Where("note_id IN (?) OR boosted_by_id = ?", sub, actorID).Delete(&models.TimelineEntry{}).Error); err != nil {
			return err
		}
		if err := translate(tx.with(ctx).Model(&models.Note{}).Where("author_id = ? AND deleted_at IS NULL", actorID).
			Updates(map[string]any{"deleted_at": at, "content": "", "source": "", "summary": "", "name": ""}).Error); err != nil {
			return err
		}
		for _, m := range []any{&models.Like{}, &models.Announce{}} {
			if err := translate(tx.with(ctx).Where("actor_id = ?", actorID).Delete(m).Error); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListNotesBy pages an actor's notes of the given visibilities, newest first.
func (s *Store) ListNotesBy(ctx context.Context, authorID string, visibilities []string, limit, offset int) ([]models.Note, error) {
	var out []models.Note
	err := s.with(ctx).Where("author_id = ? AND deleted_at IS NULL AND visibility IN ?", authorID, visibilities).
		Order("published DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CountNotesBy counts an actor's notes of the given visibilities.
func (s *Store) CountNotesBy(ctx context.Context, authorID string, visibilities []string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Note{}).Where("author_id = ? AND deleted_at IS NULL AND visibility IN ?", authorID, visibilities).Count(&n).Error
	return n, translate(err)
}

// CountLocalNotes counts local, undeleted notes (NodeInfo localPosts).
func (s *Store) CountLocalNotes(ctx context.Context) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.Note{}).Where("local = ? AND deleted_at IS NULL", true).Count(&n).Error)
}

// AddToTimelines puts a note in the home timelines of owners (idempotent).
func (s *Store) AddToTimelines(ctx context.Context, noteID, boostedByID string, owners []string) error {
	if len(owners) == 0 {
		return nil
	}
	rows := make([]models.TimelineEntry, 0, len(owners))
	now := time.Now().UTC()
	for _, o := range owners {
		rows = append(rows, models.TimelineEntry{ID: models.NewID(), OwnerID: o, NoteID: noteID, BoostedByID: boostedByID, CreatedAt: now})
	}
	return translate(s.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 500).Error)
}

// RemoveBoostFromTimelines drops the timeline entries of a boost (Undo Announce).
func (s *Store) RemoveBoostFromTimelines(ctx context.Context, noteID, boostedByID string) error {
	return translate(s.with(ctx).Where("note_id = ? AND boosted_by_id = ?", noteID, boostedByID).Delete(&models.TimelineEntry{}).Error)
}

// TimelineItem is one entry of a home timeline.
type TimelineItem struct {
	Entry models.TimelineEntry
	Note  models.Note
}

// Timeline pages owner's home timeline, newest first; maxID ("" = newest) pages back.
// Only entries whose note is in scope (what the owner may see) are paged, so a
// page is never cut short by filtering after the limit.
//
// A note has one entry per way it reached the owner (posted by someone followed,
// boosted by a community or a followed actor), but the timeline shows each note
// once: at its newest entry (an older entry of the same note is skipped in the
// query, so paging stays exact), carrying a boost (BoostedByID) when any of its
// entries is one.
func (s *Store) Timeline(ctx context.Context, ownerID, maxID string, limit int, scope NoteScope) ([]TimelineItem, error) {
	q := s.with(ctx).Table("timeline_entries").Select("timeline_entries.*").
		Joins("JOIN notes ON notes.id = timeline_entries.note_id").
		Where("timeline_entries.owner_id = ? AND notes.deleted_at IS NULL", ownerID).
		Where("NOT EXISTS (SELECT 1 FROM timeline_entries newer WHERE newer.owner_id = timeline_entries.owner_id" +
			" AND newer.note_id = timeline_entries.note_id AND newer.id > timeline_entries.id)")
	if maxID != "" {
		q = q.Where("timeline_entries.id < ?", maxID)
	}
	var entries []models.TimelineEntry
	if err := scope.where(q).Order("timeline_entries.id DESC").Limit(limit).Find(&entries).Error; err != nil {
		return nil, translate(err)
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.NoteID
	}
	var notes []models.Note
	if len(ids) > 0 {
		if err := s.with(ctx).Where("id IN ? AND deleted_at IS NULL", ids).Find(&notes).Error; err != nil {
			return nil, translate(err)
		}
	}
	byID := map[string]models.Note{}
	for _, n := range notes {
		byID[n.ID] = n
	}
	// The newest entry may be the note itself while an older one is a boost:
	// take the newest boost of each note for "boosted by".
	boosts := map[string]string{}
	if len(ids) > 0 {
		var rows []models.TimelineEntry
		if err := s.with(ctx).Where("owner_id = ? AND note_id IN ? AND boosted_by_id <> ''", ownerID, ids).
			Order("id").Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			boosts[r.NoteID] = r.BoostedByID
		}
	}
	out := make([]TimelineItem, 0, len(entries))
	for _, e := range entries {
		if n, ok := byID[e.NoteID]; ok {
			if e.BoostedByID == "" {
				e.BoostedByID = boosts[e.NoteID]
			}
			out = append(out, TimelineItem{Entry: e, Note: n})
		}
	}
	return out, nil
}

// ActorsByIDs loads actors by id.
func (s *Store) ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error) {
	var list []models.Actor
	out := map[string]*models.Actor{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.with(ctx).Where("id IN ?", ids).Find(&list).Error; err != nil {
		return nil, translate(err)
	}
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// CreateActivity stores an activity; a known URI gives ErrExists (deduplication).
func (s *Store) CreateActivity(ctx context.Context, a *models.Activity) error {
	return translate(s.with(ctx).Create(a).Error)
}

// ActivityByID loads an activity.
func (s *Store) ActivityByID(ctx context.Context, id string) (*models.Activity, error) {
	return first[models.Activity](s.with(ctx).Where("id = ?", id))
}

// ActivityByURI loads an activity by its ActivityPub id.
func (s *Store) ActivityByURI(ctx context.Context, uri string) (*models.Activity, error) {
	return first[models.Activity](s.with(ctx).Where("uri = ?", uri))
}

// InboundActivityExists reports whether an activity of type typ by actorURI about
// objectURI was received, whatever its processing state. It runs for every
// inbound activity, so it reads through idx_activities_object_type (object_uri,
// type) only and stops at the first row: its cost does not grow with the
// sender's history (TestInboundQueriesUseTheirIndex, BenchmarkInboundActivityExists).
func (s *Store) InboundActivityExists(ctx context.Context, typ, actorURI, objectURI string) (bool, error) {
	var ids []string
	err := s.with(ctx).Model(&models.Activity{}).
		Where("object_uri = ? AND type = ? AND actor_uri = ? AND local = ?", objectURI, typ, actorURI, false).
		Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, translate(err)
}

// InboundCancel is an inbound Undo or Delete as InboundCancels finds it.
type InboundCancel struct {
	Type, ActorURI, ObjectURI string
}

// InboundCancels returns the inbound Undo and Delete activities about any of
// objectURIs, whatever their processing state: InboundActivityExists for a
// whole batch of activities in one query. With a list of URIs both planners
// may leave idx_activities_object_type aside (SQLite took idx_activities_local,
// PostgreSQL a Seq Scan on a small table), so the index is forced: INDEXED BY
// on SQLite, and on PostgreSQL one lookup per URI (a LATERAL subquery that
// OFFSET 0 keeps from being flattened into a hash join)
// (TestInboundQueriesUseTheirIndex).
func (s *Store) InboundCancels(ctx context.Context, objectURIs []string) ([]InboundCancel, error) {
	if len(objectURIs) == 0 {
		return nil, nil
	}
	var out []InboundCancel
	var err error
	if s.Driver == "postgres" {
		err = s.with(ctx).Raw(`SELECT a.type, a.actor_uri, a.object_uri FROM unnest(?::text[]) AS u(uri)
CROSS JOIN LATERAL (SELECT type, actor_uri, object_uri FROM activities
  WHERE object_uri = u.uri AND type IN ('Undo', 'Delete') AND local = ? OFFSET 0) a`, pgTextArray(objectURIs), false).
			Scan(&out).Error
	} else {
		in, list := s.anyOf("object_uri", objectURIs)
		err = s.with(ctx).Raw(`SELECT type, actor_uri, object_uri FROM activities INDEXED BY idx_activities_object_type
WHERE `+in+` AND type IN ('Undo', 'Delete') AND local = ?`, list, false).Scan(&out).Error
	}
	return out, translate(err)
}

// anyOf is "col IN (vals…)" with the whole list as one parameter, so the
// statement's text does not change with the list's length. The processing
// job's batch queries take lists of 1 to 64 ids or URIs: spelled out, each new
// length is a statement of its own, parsed and planned again (and on
// PostgreSQL prepared in a round trip of its own), and ~100 such variants
// would push the hot statements out of SQLite's statement cache
// (sqlitestmts.go). The index is still used (TestInboundQueriesUseTheirIndex).
func (s *Store) anyOf(col string, vals []string) (string, any) {
	if s.Driver == "postgres" {
		return col + " = ANY(?::text[])", pgTextArray(vals)
	}
	b, _ := json.Marshal(vals)
	return col + " IN (SELECT value FROM json_each(?))", string(b)
}

var pgArrayEscape = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// pgTextArray is the PostgreSQL array literal of ss (one parameter, where gorm
// would expand a slice into a list).
func pgTextArray(ss []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(pgArrayEscape.Replace(v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// FinishActivity records the outcome of processing a pending inbound activity;
// ErrConflict when it was already finished (another worker got there first).
func (s *Store) FinishActivity(ctx context.Context, id, state, errMsg string) error {
	now := time.Now().UTC()
	return s.Transition(ctx, &models.Activity{}, id, []string{models.ActivityPending}, state,
		map[string]any{"error": errMsg, "processed_at": now})
}

// PendingActivities loads those of ids still pending, in the order of ids, in
// one query by primary key (the inbound processing job's batch).
func (s *Store) PendingActivities(ctx context.Context, ids []string) ([]models.Activity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []models.Activity
	if err := s.with(ctx).Where(s.anyOf("id", ids)).Where("state = ?", models.ActivityPending).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, dup := at[id]; !dup {
			at[id] = i
		}
	}
	slices.SortFunc(rows, func(a, b models.Activity) int { return at[a.ID] - at[b.ID] })
	return rows, nil
}

// FinishActivities marks the pending activities ids with state in one
// conditional UPDATE; ErrConflict (and nothing changed, when s is a
// transaction the caller rolls back) unless every one of them was pending.
func (s *Store) FinishActivities(ctx context.Context, ids []string, state string) error {
	if len(ids) == 0 {
		return nil
	}
	res := s.with(ctx).Model(&models.Activity{}).Where(s.anyOf("id", ids)).Where("state = ?", models.ActivityPending).
		Updates(map[string]any{"state": state, "error": "", "processed_at": time.Now().UTC()})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != int64(len(ids)) {
		return fmt.Errorf("%w: %d of %d activities were still pending", ErrConflict, res.RowsAffected, len(ids))
	}
	return nil
}

// ListOutbox pages an actor's public outgoing activities, newest first.
func (s *Store) ListOutbox(ctx context.Context, actorURI string, limit, offset int) ([]models.Activity, error) {
	var out []models.Activity
	err := s.with(ctx).Where("actor_uri = ? AND local = ? AND public = ? AND type IN ?", actorURI, true, true, []string{"Create", "Announce"}).
		Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CountOutbox counts them.
func (s *Store) CountOutbox(ctx context.Context, actorURI string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.Activity{}).Where("actor_uri = ? AND local = ? AND public = ? AND type IN ?", actorURI, true, true, []string{"Create", "Announce"}).Count(&n).Error
	return n, translate(err)
}

// PutAnnounce records a boost (idempotent by URI).
func (s *Store) PutAnnounce(ctx context.Context, a *models.Announce) error {
	return insertIgnore(s, ctx, a)
}

// AnnounceByURI loads a boost.
func (s *Store) AnnounceByURI(ctx context.Context, uri string) (*models.Announce, error) {
	return byURI[models.Announce](s, ctx, uri)
}

// DeleteAnnounce removes a boost.
func (s *Store) DeleteAnnounce(ctx context.Context, id string) error {
	return deleteByID[models.Announce](s, ctx, id)
}

// PutLike records a like (idempotent by actor and object).
func (s *Store) PutLike(ctx context.Context, l *models.Like) error {
	return insertIgnore(s, ctx, l)
}

// LikeByURI loads a like.
func (s *Store) LikeByURI(ctx context.Context, uri string) (*models.Like, error) {
	return byURI[models.Like](s, ctx, uri)
}

// DeleteLike removes a like.
func (s *Store) DeleteLike(ctx context.Context, id string) error {
	return deleteByID[models.Like](s, ctx, id)
}

// CountLikes counts likes of an object.
func (s *Store) CountLikes(ctx context.Context, objectURI string) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.Like{}).Where("object_uri = ?", objectURI).Count(&n).Error)
}

// CountAnnounces counts boosts of an object.
func (s *Store) CountAnnounces(ctx context.Context, objectURI string) (int64, error) {
	var n int64
	return n, translate(s.with(ctx).Model(&models.Announce{}).Where("object_uri = ?", objectURI).Count(&n).Error)
}

// PutBlock records a block (idempotent).
func (s *Store) PutBlock(ctx context.Context, b *models.Block) error {
	return insertIgnore(s, ctx, b)
}

// BlockByURI loads a block.
func (s *Store) BlockByURI(ctx context.Context, uri string) (*models.Block, error) {
	return byURI[models.Block](s, ctx, uri)
}

// DeleteBlock removes a block.
func (s *Store) DeleteBlock(ctx context.Context, id string) error {
	return deleteByID[models.Block](s, ctx, id)
}

// IsBlocked reports whether actor blocks target. In a unit of work each pair
// is read once (uowState).
func (s *Store) IsBlocked(ctx context.Context, actorID, targetID string) (bool, error) {
	u := s.uowState(ctx)
	if u != nil {
		if blocked, ok := u.isBlocked(actorID, targetID); ok {
			return blocked, nil
		}
	}
	var n int64
	err := s.with(ctx).Model(&models.Block{}).Where("actor_id = ? AND target_id = ?", actorID, targetID).Count(&n).Error
	if err == nil && u != nil {
		u.keepBlocked(actorID, targetID, n > 0)
	}
	return n > 0, translate(err)
}

// CreateReport stores a report (idempotent by URI).
func (s *Store) CreateReport(ctx context.Context, r *models.Report) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r).Error)
}

// ListReports pages reports, newest first.
func (s *Store) ListReports(ctx context.Context, limit, offset int) ([]models.Report, error) {
	var out []models.Report
	return out, translate(s.with(ctx).Order("created_at DESC").Limit(limit).Offset(offset).Find(&out).Error)
}

// PutDomainPolicy upserts a domain block or allow.
func (s *Store) PutDomainPolicy(ctx context.Context, p *models.DomainPolicy) error {
	return translate(s.with(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(p).Error)
}

// DeleteDomainPolicy removes one.
func (s *Store) DeleteDomainPolicy(ctx context.Context, domain string) error {
	return translate(s.with(ctx).Where("domain = ?", domain).Delete(&models.DomainPolicy{}).Error)
}

// ListDomainPolicies lists them.
func (s *Store) ListDomainPolicies(ctx context.Context) ([]models.DomainPolicy, error) {
	var out []models.DomainPolicy
	return out, translate(s.with(ctx).Order("domain").Find(&out).Error)
}

// RemoteActorsOfDomain lists the ids of a domain's actors (domain block clean-up).
func (s *Store) RemoteActorsOfDomain(ctx context.Context, domain string) ([]string, error) {
	var ids []string
	return ids, translate(s.with(ctx).Model(&models.Actor{}).Where("domain = ?", domain).Pluck("id", &ids).Error)
}

// activityColumns are the columns InsertActivities writes, in the order of its
// values: every column of models.Activity (TestActivityColumnsAreTheModels).
var activityColumns = []string{"id", "uri", "type", "actor_uri", "object_uri", "local", "public", "raw", "state", "error", "created_at", "processed_at"}

// InsertActivities stores inbound activities in one statement, skipping those whose
// id (URI) is already known, and returns the row ids that were inserted. The
// statement says which with RETURNING (both databases return only the rows an
// ON CONFLICT DO NOTHING inserted), so a batch costs one statement, not an
// INSERT and a SELECT: the inbox's group commit runs it for every batch.
func (s *Store) InsertActivities(ctx context.Context, rows []models.Activity) (map[string]bool, error) {
	if len(rows) == 0 {
		return map[string]bool{}, nil
	}
	var q strings.Builder
	q.WriteString("INSERT INTO activities (" + strings.Join(activityColumns, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(activityColumns)), ",") + ")"
	args := make([]any, 0, len(activityColumns)*len(rows))
	for i, r := range rows {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString(row)
		args = append(args, r.ID, r.URI, r.Type, r.ActorURI, r.ObjectURI, r.Local, r.Public, r.Raw, r.State, r.Error, r.CreatedAt, r.ProcessedAt)
	}
	q.WriteString(" ON CONFLICT DO NOTHING RETURNING id")
	var got []string
	if err := s.with(ctx).Raw(q.String(), args...).Scan(&got).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]bool, len(got))
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// TaggedNotes lists the newest notes in scope carrying a hashtag (name without
// '#', any case).
func (s *Store) TaggedNotes(ctx context.Context, tag string, limit int, scope NoteScope) ([]models.Note, error) {
	var out []models.Note
	q := s.with(ctx).Table("notes").Select("notes.*").
		Joins("JOIN note_tags ON note_tags.note_id = notes.id").
		Where("note_tags.type = ? AND LOWER(note_tags.name) = ? AND notes.deleted_at IS NULL",
			"Hashtag", "#"+strings.ToLower(tag))
	err := scope.where(q).Order("notes.published DESC, notes.id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
