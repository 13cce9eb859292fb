package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// PartnershipOpenKey is the value of open_key while a partnership is open.
func PartnershipOpenKey(communityID, organizationID string) *string {
	k := communityID + ":" + organizationID
	return &k
}

// CreatePartnership inserts a requested partnership; ErrExists when the pair
// already has an open one (the unique open_key).
func (s *Store) CreatePartnership(ctx context.Context, p *models.Partnership) error {
	p.OpenKey = PartnershipOpenKey(p.CommunityID, p.OrganizationID)
	return translate(s.with(ctx).Create(p).Error)
}

// PartnershipByID loads one partnership.
func (s *Store) PartnershipByID(ctx context.Context, id string) (*models.Partnership, error) {
	var p models.Partnership
	if err := s.with(ctx).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// OpenPartnership is the pair's requested or active partnership.
func (s *Store) OpenPartnership(ctx context.Context, communityID, organizationID string) (*models.Partnership, error) {
	var p models.Partnership
	if err := s.with(ctx).Where("open_key = ?", *PartnershipOpenKey(communityID, organizationID)).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// PartnershipFilter selects partnerships by community, organization and states.
type PartnershipFilter struct {
	CommunityID, OrganizationID string
	States                      []string
}

// ListPartnerships pages partnerships, newest first.
func (s *Store) ListPartnerships(ctx context.Context, f PartnershipFilter, limit, offset int) ([]models.Partnership, error) {
	q := s.with(ctx).Model(&models.Partnership{})
	if f.CommunityID != "" {
		q = q.Where("community_id = ?", f.CommunityID)
	}
	if f.OrganizationID != "" {
		q = q.Where("organization_id = ?", f.OrganizationID)
	}
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	var out []models.Partnership
	err := q.Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// DecidePartnership moves a requested partnership to active (accept) or
// ended (decline), only if it is still requested: ErrConflict otherwise.
func (s *Store) DecidePartnership(ctx context.Context, id string, accept bool, byID, proposalID string, at time.Time) error {
	set := map[string]any{"decided_by_id": byID, "proposal_id": proposalID, "decided_at": at}
	to := models.PartnershipActive
	if !accept {
		to = models.PartnershipEnded
		set["open_key"] = nil
		set["ended_by_id"] = byID
		set["ended_at"] = at
	}
	return s.Transition(ctx, &models.Partnership{}, id, []string{models.PartnershipRequested}, to, set)
}

// EndPartnership moves a requested or active partnership to ended, only if it
// is still one of those: ErrConflict when it already ended.
func (s *Store) EndPartnership(ctx context.Context, id, byID string, at time.Time) error {
	return s.Transition(ctx, &models.Partnership{}, id, []string{models.PartnershipRequested, models.PartnershipActive},
		models.PartnershipEnded, map[string]any{"open_key": nil, "ended_by_id": byID, "ended_at": at})
}

// DeliveredBy lists the transfers (receipts and disbursements) from the
// organization orgID to the community groupID or to one of its active
// members, as recorded in the organization's ledger or the community's, in
// the order recorded (correcting entries included: they carry the opposite
// amount).
func (s *Store) DeliveredBy(ctx context.Context, orgID, groupID string, limit int) ([]models.EconomicEvent, error) {
	members := s.with(ctx).Model(&models.Membership{}).Select("actor_id").
		Where("community_id = ? AND state = ?", groupID, models.MembershipActive)
	var out []models.EconomicEvent
	err := s.with(ctx).Where("ledger_id IN ? AND provider_id = ? AND kind IN ? AND (receiver_id = ? OR receiver_id IN (?))",
		[]string{orgID, groupID}, orgID, []string{models.EntryReceipt, models.EntryDisbursement}, groupID, members).
		Order("created_at, id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// PartnershipByOfferURI loads the partnership asked for by the Offer uri.
func (s *Store) PartnershipByOfferURI(ctx context.Context, uri string) (*models.Partnership, error) {
	var p models.Partnership
	if err := s.with(ctx).Where("offer_uri = ?", uri).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}
