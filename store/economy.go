package store

import (
	"context"
	"errors"
	"time"

	"github.com/commonsd/commonsd/models"
	"gorm.io/gorm"
)

// The economy (issue 12): organizations, funding appeals, pledges and the
// append-only ledger. The rules live in service/economy; these are the queries.
// Ledger totals are always computed here by SUM over the entries, never stored.

// CreateOrganization stores an Organization actor, its settings and its first
// admin in one transaction; a taken handle gives ErrExists.
func (s *Store) CreateOrganization(ctx context.Context, a *models.Actor, o *models.Organization, admin *models.OrganizationAdmin) error {
	defer s.actorsChanged(ctx)
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.CreateActor(ctx, a); err != nil {
			return err
		}
		o.ActorID = a.ID
		if err := translate(tx.with(ctx).Create(o).Error); err != nil {
			return err
		}
		admin.OrganizationID = a.ID
		return translate(tx.with(ctx).Create(admin).Error)
	})
}

// OrganizationByActorID loads an organization's settings.
func (s *Store) OrganizationByActorID(ctx context.Context, actorID string) (*models.Organization, error) {
	return first[models.Organization](s.with(ctx).Where("actor_id = ?", actorID))
}

// UpdateOrganizationLinks saves an organization's website and payment links.
func (s *Store) UpdateOrganizationLinks(ctx context.Context, actorID, website, links string, at time.Time) error {
	defer s.actorsChanged(ctx)
	res := s.with(ctx).Model(&models.Organization{}).Where("actor_id = ?", actorID).
		Updates(map[string]any{"website": website, "payment_links": links, "updated_at": at})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// AddOrganizationAdmin adds an admin; ErrExists when already one.
func (s *Store) AddOrganizationAdmin(ctx context.Context, a *models.OrganizationAdmin) error {
	return translate(s.with(ctx).Create(a).Error)
}

// IsOrganizationAdmin reports whether actorID administers the organization.
func (s *Store) IsOrganizationAdmin(ctx context.Context, orgID, actorID string) (bool, error) {
	var n int64
	err := s.with(ctx).Model(&models.OrganizationAdmin{}).Where("organization_id = ? AND actor_id = ?", orgID, actorID).Count(&n).Error
	return n > 0, translate(err)
}

// OrganizationAdmins lists the admins' actor ids, oldest first.
func (s *Store) OrganizationAdmins(ctx context.Context, orgID string) ([]string, error) {
	var out []string
	err := s.with(ctx).Model(&models.OrganizationAdmin{}).Where("organization_id = ?", orgID).
		Order("created_at, actor_id").Pluck("actor_id", &out).Error
	return out, translate(err)
}

// ListOrganizations pages local organizations, newest first.
func (s *Store) ListOrganizations(ctx context.Context, limit, offset int) ([]models.Actor, error) {
	var out []models.Actor
	err := s.with(ctx).Where("domain = '' AND type = ? AND suspended = ?", models.ActorOrganization, false).
		Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CreateAppeal stores an appeal; a known URI gives ErrExists.
func (s *Store) CreateAppeal(ctx context.Context, a *models.FundingAppeal) error {
	return translate(s.with(ctx).Create(a).Error)
}

// AppealByID loads an appeal.
func (s *Store) AppealByID(ctx context.Context, id string) (*models.FundingAppeal, error) {
	return first[models.FundingAppeal](s.with(ctx).Where("id = ?", id))
}

// AppealByURI loads an appeal by its Note's id.
func (s *Store) AppealByURI(ctx context.Context, uri string) (*models.FundingAppeal, error) {
	return first[models.FundingAppeal](s.with(ctx).Where("uri = ?", uri))
}

// AppealFilter selects appeals for the directory ("" matches any).
type AppealFilter struct {
	State, Currency string
	Beneficiary     string // an actor URI
	AuthorID        string
}

// ListAppeals lists appeals matching f, the soonest deadline first.
func (s *Store) ListAppeals(ctx context.Context, f AppealFilter, limit, offset int) ([]models.FundingAppeal, error) {
	var out []models.FundingAppeal
	q := s.with(ctx).Model(&models.FundingAppeal{})
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Currency != "" {
		q = q.Where("currency = ?", f.Currency)
	}
	if f.AuthorID != "" {
		q = q.Where("author_id = ?", f.AuthorID)
	}
	if f.Beneficiary != "" {
		// beneficiaries is a JSON array of strings; a URI holds no '"'.
		q = q.Where("beneficiaries LIKE ? ESCAPE '\\'", "%\""+escapeLike(f.Beneficiary)+"\"%")
	}
	err := q.Order("ends_at ASC, id ASC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// HoldAppeal takes the appeal's row (a lock on PostgreSQL; SQLite serialises
// writers) if it is in one of states and, when before is not zero, ends after
// it: a pledge or receipt written after it in the same transaction cannot slip
// past a concurrent close or cancel. ErrConflict otherwise, ErrNotFound when
// there is none.
func (s *Store) HoldAppeal(ctx context.Context, id string, states []string, before time.Time, now time.Time) error {
	q := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND state IN ?", id, states)
	if !before.IsZero() {
		q = q.Where("ends_at > ?", before)
	}
	res := q.Update("updated_at", now)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missingOrConflict(ctx, &models.FundingAppeal{}, id)
	}
	return nil
}

// HoldLedger takes the row of a ledger's owner (its actor) so that two
// disbursements checked against the same balance run one after the other.
func (s *Store) HoldLedger(ctx context.Context, actorID string, now time.Time) error {
	res := s.with(ctx).Model(&models.Actor{}).Where("id = ?", actorID).Update("updated_at", now)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetRemoteAppealProgress records what a remote appeal's author published.
func (s *Store) SetRemoteAppealProgress(ctx context.Context, id string, set map[string]any) error {
	res := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND local = ?", id, false).Updates(set)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// CreatePledge stores a pledge; a known URI (Offer id) gives ErrExists.
func (s *Store) CreatePledge(ctx context.Context, p *models.Pledge) error {
	return translate(s.with(ctx).Create(p).Error)
}

// PledgeByID loads a pledge.
func (s *Store) PledgeByID(ctx context.Context, id string) (*models.Pledge, error) {
	return first[models.Pledge](s.with(ctx).Where("id = ?", id))
}

// PledgeByURI loads a pledge by its Offer's id.
func (s *Store) PledgeByURI(ctx context.Context, uri string) (*models.Pledge, error) {
	return first[models.Pledge](s.with(ctx).Where("uri = ?", uri))
}

// ListPledges lists an appeal's pledges in states, newest first.
func (s *Store) ListPledges(ctx context.Context, appealID string, states []string, limit, offset int) ([]models.Pledge, error) {
	var out []models.Pledge
	err := s.with(ctx).Where("appeal_id = ? AND state IN ?", appealID, states).
		Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// AppendEntry appends an entry to a ledger. Entries are never updated or
// deleted; a second correction of the same entry gives ErrExists.
func (s *Store) AppendEntry(ctx context.Context, e *models.EconomicEvent) error {
	return translate(s.with(ctx).Create(e).Error)
}

// EntryByID loads a ledger entry.
func (s *Store) EntryByID(ctx context.Context, id string) (*models.EconomicEvent, error) {
	return first[models.EconomicEvent](s.with(ctx).Where("id = ?", id))
}

// LedgerScope selects a ledger: an owner's (LedgerID) or an appeal's.
type LedgerScope struct{ LedgerID, AppealID string }

func (s *Store) ledgerQuery(ctx context.Context, sc LedgerScope) *gorm.DB {
	q := s.with(ctx).Model(&models.EconomicEvent{})
	if sc.LedgerID != "" {
		q = q.Where("ledger_id = ?", sc.LedgerID)
	}
	if sc.AppealID != "" {
		q = q.Where("appeal_id = ?", sc.AppealID)
	}
	return q
}

// ListEntries pages a ledger's entries in the order they were recorded.
func (s *Store) ListEntries(ctx context.Context, sc LedgerScope, limit, offset int) ([]models.EconomicEvent, error) {
	var out []models.EconomicEvent
	err := s.ledgerQuery(ctx, sc).Order("created_at ASC, id ASC").Limit(limit).Offset(offset).Find(&out).Error
	return out, translate(err)
}

// CountEntries counts a ledger's entries.
func (s *Store) CountEntries(ctx context.Context, sc LedgerScope) (int64, error) {
	var n int64
	err := s.ledgerQuery(ctx, sc).Count(&n).Error
	return n, translate(err)
}

// LedgerTotal is the sum of one kind of entry in one currency; Count is the
// number of entries net of correcting ones.
type LedgerTotal struct {
	Kind     string
	Currency string
	Sum      int64
	Count    int64
}

// LedgerTotals sums a ledger's entries by kind and currency (one SUM query;
// currencies are never added together).
func (s *Store) LedgerTotals(ctx context.Context, sc LedgerScope) ([]LedgerTotal, error) {
	var out []LedgerTotal
	err := s.ledgerQuery(ctx, sc).
		Select("kind, currency, COALESCE(SUM(amount_minor), 0) AS sum, COALESCE(SUM(CASE WHEN amount_minor < 0 THEN -1 ELSE 1 END), 0) AS count").
		Group("kind, currency").Order("kind, currency").Scan(&out).Error
	return out, translate(err)
}

// DueProgressUpdate marks a debounced progress Update as scheduled for due; it
// reports false when one is already pending (nothing to schedule).
func (s *Store) DueProgressUpdate(ctx context.Context, id string, due time.Time) (bool, error) {
	res := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND progress_due_at IS NULL", id).
		Update("progress_due_at", due)
	return res.RowsAffected > 0, translate(res.Error)
}

// TakeProgressUpdate clears the pending progress Update; it reports false when
// none was pending (another worker took it, or a milestone sent it).
func (s *Store) TakeProgressUpdate(ctx context.Context, id string) (bool, error) {
	res := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND progress_due_at IS NOT NULL", id).
		Update("progress_due_at", nil)
	return res.RowsAffected > 0, translate(res.Error)
}

// ProgressSent records that a progress Update went out, and the quarter of the
// goal it announced. The quarter only grows: of two racing milestone updates,
// the second finds it reached and reports false.
func (s *Store) ProgressSent(ctx context.Context, id string, quarter int, at time.Time) (bool, error) {
	res := s.with(ctx).Model(&models.FundingAppeal{}).Where("id = ? AND progress_quarter <= ?", id, quarter).
		Updates(map[string]any{"progress_quarter": quarter, "progress_sent_at": at})
	return res.RowsAffected > 0, translate(res.Error)
}

// ErrOverBalance: a disbursement above its ledger's balance in its currency.
var ErrOverBalance = errors.New("more than the balance")

// AppendDisbursement appends a disbursement if it does not exceed the balance
// of its ledger in its currency (receipts minus disbursements), after taking
// the ledger owner's row so that two racing disbursements cannot both spend
// the same money. ErrOverBalance otherwise, with nothing written. Run it in a
// transaction.
func (s *Store) AppendDisbursement(ctx context.Context, e *models.EconomicEvent, now time.Time) (balance int64, err error) {
	if err := s.HoldLedger(ctx, e.LedgerID, now); err != nil {
		return 0, err
	}
	err = s.with(ctx).Model(&models.EconomicEvent{}).
		Where("ledger_id = ? AND currency = ? AND kind IN ?", e.LedgerID, e.Currency, []string{models.EntryReceipt, models.EntryDisbursement}).
		Select("COALESCE(SUM(CASE WHEN kind = ? THEN amount_minor ELSE -amount_minor END), 0)", models.EntryReceipt).
		Scan(&balance).Error
	if err != nil {
		return 0, translate(err)
	}
	if e.AmountMinor > balance {
		return balance, ErrOverBalance
	}
	return balance, s.AppendEntry(ctx, e)
}
