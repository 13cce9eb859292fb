package store

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
)

// ContributorWeight is one contributor's summed weight in a community's
// contribution ledger.
type ContributorWeight struct {
	ContributorID string
	Weight        int64
}

// ContributorWeights sums the contribution ledger's weights (accepted
// contributions, one entry per contributor and contribution) per
// contributor, positive sums only, ordered by contributor id so a split of
// them is the same every time.
func (s *Store) ContributorWeights(ctx context.Context, communityID string) ([]ContributorWeight, error) {
	var out []ContributorWeight
	err := s.with(ctx).Model(&models.LedgerEntry{}).Select("contributor_id, SUM(weight) AS weight").
		Where("community_id = ?", communityID).Group("contributor_id").Having("SUM(weight) > 0").
		Order("contributor_id").Scan(&out).Error
	return out, translate(err)
}

// AppendDisbursements appends several disbursements from one ledger in one
// currency all or nothing: after taking the owner's row (HoldLedger), their
// sum must not exceed the balance (ErrOverBalance with the balance; nothing
// is written).
func (s *Store) AppendDisbursements(ctx context.Context, list []*models.EconomicEvent, now time.Time) (balance int64, err error) {
	if len(list) == 0 {
		return 0, nil
	}
	first := list[0]
	if err := s.HoldLedger(ctx, first.LedgerID, now); err != nil {
		return 0, err
	}
	err = s.with(ctx).Model(&models.EconomicEvent{}).
		Where("ledger_id = ? AND currency = ? AND kind IN ?", first.LedgerID, first.Currency, []string{models.EntryReceipt, models.EntryDisbursement}).
		Select("COALESCE(SUM(CASE WHEN kind = ? THEN amount_minor ELSE -amount_minor END), 0)", models.EntryReceipt).
		Scan(&balance).Error
	if err != nil {
		return 0, translate(err)
	}
	var sum int64
	for _, e := range list {
		if e.LedgerID != first.LedgerID || e.Currency != first.Currency || e.AmountMinor <= 0 {
			return balance, ErrConflict
		}
		sum += e.AmountMinor
	}
	if sum > balance {
		return balance, ErrOverBalance
	}
	for _, e := range list {
		if err := s.AppendEntry(ctx, e); err != nil {
			return balance, err
		}
	}
	return balance, nil
}
