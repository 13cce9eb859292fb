package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/commonsd/commonsd/models"
)

// SaveCommunitySettings writes what a steward may edit: the Group actor's name,
// summary, links (fields) and follower approval, and the community row. Only
// those actor columns are written, so a concurrent change of the actor's images
// or keys is kept. Call it in the transaction that took LockCommunity and read
// the community row after it.
func (s *Store) SaveCommunitySettings(ctx context.Context, a *models.Actor, c *models.Community) error {
	defer s.actorsChanged(ctx)
	res := s.with(ctx).Model(&models.Actor{}).Where("id = ?", a.ID).Updates(map[string]any{
		"name": a.Name, "summary": a.Summary, "summary_source": a.SummarySource, "fields": a.Fields,
		"manually_approves_followers": a.ManuallyApprovesFollowers, "updated_at": a.UpdatedAt,
	})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return translate(s.with(ctx).Save(c).Error)
}

// AddCharterVersion records a version of a community's charter and licence;
// ErrExists when that version number is taken (two racing edits).
func (s *Store) AddCharterVersion(ctx context.Context, v *models.CharterVersion) error {
	return translate(s.with(ctx).Create(v).Error)
}

// CharterVersions lists a community's charter versions, newest first.
func (s *Store) CharterVersions(ctx context.Context, communityID string) ([]models.CharterVersion, error) {
	var out []models.CharterVersion
	return out, translate(s.with(ctx).Where("community_id = ?", communityID).Order("version DESC").Find(&out).Error)
}

// RemoteMembers lists the actors of a community's active members on other servers.
func (s *Store) RemoteMembers(ctx context.Context, communityID string) ([]models.Actor, error) {
	var out []models.Actor
	return out, translate(s.with(ctx).Model(&models.Actor{}).
		Joins("JOIN memberships ON memberships.actor_id = actors.id").
		Where("memberships.community_id = ? AND memberships.state = ? AND actors.domain <> ''", communityID, models.MembershipActive).
		Order("actors.id").Find(&out).Error)
}

// ContributionRevisions lists a contribution's kept revisions, oldest first.
func (s *Store) ContributionRevisions(ctx context.Context, contributionID string) ([]models.ContributionRevision, error) {
	var out []models.ContributionRevision
	return out, translate(s.with(ctx).Where("contribution_id = ?", contributionID).Order("number").Find(&out).Error)
}

// ContributionRevisionByURI loads the revision an Update activity brought.
func (s *Store) ContributionRevisionByURI(ctx context.Context, uri string) (*models.ContributionRevision, error) {
	return first[models.ContributionRevision](s.with(ctx).Where("uri = ?", uri))
}

// AddContributionRevision stores a revision; ErrExists when its number is taken.
func (s *Store) AddContributionRevision(ctx context.Context, r *models.ContributionRevision) error {
	return translate(s.with(ctx).Create(r).Error)
}

// ReviseContribution makes r the current content of contribution id, in one
// conditional update: only while the contribution is in one of the states in
// from and still at revision r.Number-1 (so of two racing revisions one
// applies). The state becomes open again. ErrConflict otherwise.
func (s *Store) ReviseContribution(ctx context.Context, id string, from []string, r *models.ContributionRevision, at time.Time) error {
	links, err := json.Marshal(r.Links)
	if err != nil {
		return err
	}
	if r.Links == nil {
		links = []byte("null")
	}
	return s.TransitionIf(ctx, &models.Contribution{}, id, Guard{"state": from, "revision": r.Number - 1}, map[string]any{
		"state": models.ContributionOpen, "revision": r.Number, "title": r.Title, "body": r.Body,
		"body_html": r.BodyHTML, "links": string(links), "attachments": r.Attachments, "edited_at": at,
		"decided_by_id": "", "reason": "", "updated_at": at,
	})
}

// LikeCounts counts the likes of each of the objects in one query; objects
// without likes are absent from the map.
func (s *Store) LikeCounts(ctx context.Context, objectURIs []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(objectURIs) == 0 {
		return out, nil
	}
	var rows []struct {
		ObjectURI string
		N         int64
	}
	err := s.with(ctx).Model(&models.Like{}).Select("object_uri, COUNT(*) AS n").
		Where("object_uri IN ?", objectURIs).Group("object_uri").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ObjectURI] = r.N
	}
	return out, nil
}
