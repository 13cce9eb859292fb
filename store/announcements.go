package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// CreateAnnouncement inserts an announcement; ErrExists when its URI is known.
func (s *Store) CreateAnnouncement(ctx context.Context, a *models.Announcement) error {
	return translate(s.with(ctx).Create(a).Error)
}

// AnnouncementByID loads one announcement.
func (s *Store) AnnouncementByID(ctx context.Context, id string) (*models.Announcement, error) {
	return first[models.Announcement](s.with(ctx).Where("id = ?", id))
}

// AnnouncementByURI loads one announcement by its Note's id.
func (s *Store) AnnouncementByURI(ctx context.Context, uri string) (*models.Announcement, error) {
	return first[models.Announcement](s.with(ctx).Where("uri = ?", uri))
}

// AnnouncementFilter selects announcements by author, kind and state.
type AnnouncementFilter struct {
	AuthorID, Kind, State string
}

// ListAnnouncements pages announcements, newest first.
func (s *Store) ListAnnouncements(ctx context.Context, f AnnouncementFilter, limit, offset int) ([]models.Announcement, error) {
	q := s.with(ctx).Model(&models.Announcement{})
	if f.AuthorID != "" {
		q = q.Where("author_id = ?", f.AuthorID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	var out []models.Announcement
	err := q.Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CloseBounty moves an open bounty to closed; ErrConflict when it is closed
// already (two accepted claims racing: one wins).
func (s *Store) CloseBounty(ctx context.Context, id string, at time.Time) error {
	return s.Transition(ctx, &models.Announcement{}, id, []string{models.AnnouncementOpen}, models.AnnouncementClosed,
		map[string]any{"closed_at": at})
}

// PutRelay records what a community does with an announcement; ErrExists
// when the pair has a row already (a re-delivery).
func (s *Store) PutRelay(ctx context.Context, r *models.AnnouncementRelay) error {
	return translate(s.with(ctx).Create(r).Error)
}

// Relay loads the community's row for an announcement.
func (s *Store) Relay(ctx context.Context, communityID, announcementID string) (*models.AnnouncementRelay, error) {
	return first[models.AnnouncementRelay](s.with(ctx).Where("community_id = ? AND announcement_id = ?", communityID, announcementID))
}

// DecideRelay moves a held announcement of a community to announced or
// ignored, only if it is still held: ErrConflict otherwise.
func (s *Store) DecideRelay(ctx context.Context, communityID, announcementID, to, byID string, at time.Time) error {
	res := s.with(ctx).Model(&models.AnnouncementRelay{}).
		Where("community_id = ? AND announcement_id = ? AND state = ?", communityID, announcementID, models.RelayHeld).
		Updates(map[string]any{"state": to, "decided_by_id": byID, "decided_at": at})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.Relay(ctx, communityID, announcementID); err != nil {
			return err
		}
		return ErrConflict
	}
	return nil
}

// RelayRow is an announcement with what a community did with it.
type RelayRow struct {
	models.AnnouncementRelay
	Announcement models.Announcement
}

// CommunityAnnouncements pages the announcements addressed to a community in
// one state (held, announced, ignored), newest first.
func (s *Store) CommunityAnnouncements(ctx context.Context, communityID, state string, limit, offset int) ([]RelayRow, error) {
	var rels []models.AnnouncementRelay
	err := s.with(ctx).Where("community_id = ? AND state = ?", communityID, state).
		Order("created_at DESC, announcement_id DESC").Limit(limit).Offset(offset).Find(&rels).Error
	if err != nil {
		return nil, translate(err)
	}
	if len(rels) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.AnnouncementID
	}
	var anns []models.Announcement
	if err := s.with(ctx).Where("id IN ?", ids).Find(&anns).Error; err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]models.Announcement, len(anns))
	for _, a := range anns {
		byID[a.ID] = a
	}
	out := make([]RelayRow, 0, len(rels))
	for _, r := range rels {
		if a, ok := byID[r.AnnouncementID]; ok {
			out = append(out, RelayRow{AnnouncementRelay: r, Announcement: a})
		}
	}
	return out, nil
}

// CountHeld counts a community's held announcements (the tab's badge).
func (s *Store) CountHeld(ctx context.Context, communityID string) (int64, error) {
	var n int64
	err := s.with(ctx).Model(&models.AnnouncementRelay{}).Where("community_id = ? AND state = ?", communityID, models.RelayHeld).Count(&n).Error
	return n, translate(err)
}

// CreateBountyClaim records a contribution's claim of a bounty.
func (s *Store) CreateBountyClaim(ctx context.Context, c *models.BountyClaim) error {
	return translate(s.with(ctx).Create(c).Error)
}

// BountyClaimOf loads the claim of a contribution (ErrNotFound: none).
func (s *Store) BountyClaimOf(ctx context.Context, contributionID string) (*models.BountyClaim, error) {
	return first[models.BountyClaim](s.with(ctx).Where("contribution_id = ?", contributionID))
}

// BountyClaims lists the contributions claiming a bounty, oldest first.
func (s *Store) BountyClaims(ctx context.Context, bountyID string) ([]models.BountyClaim, error) {
	var out []models.BountyClaim
	err := s.with(ctx).Where("bounty_id = ?", bountyID).Order("created_at, contribution_id").Limit(200).Find(&out).Error
	return out, translate(err)
}

// BountyEntries lists the ledger entries of a bounty: its payout
// commitments (kind payout, fulfilling the bounty) and the payments that
// fulfil them, in every ledger that recorded them, in the order recorded.
func (s *Store) BountyEntries(ctx context.Context, bountyID string) ([]models.EconomicEvent, error) {
	payouts := s.with(ctx).Model(&models.EconomicEvent{}).Select("id").
		Where("kind = ? AND fulfills = ?", models.EntryPayout, bountyID)
	var out []models.EconomicEvent
	err := s.with(ctx).Where("(kind = ? AND fulfills = ?) OR (kind = ? AND fulfills IN (?))",
		models.EntryPayout, bountyID, models.EntryPayment, payouts).Order("created_at, id").Limit(500).Find(&out).Error
	return out, translate(err)
}
