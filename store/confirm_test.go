package store_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestMigration0006AddsPendingContributors: on a database migrated up to 0005
// without the column (as the frozen earlier migrations leave it), 0006 adds
// contributions.pending_contributors empty for existing rows; the
// conditional updates of confirm.go then work.
func TestMigration0006AddsPendingContributors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := s.DB.Migrator()
		if !m.HasColumn("contributions", "pending_contributors") {
			t.Fatal("column missing after Migrate")
		}
		// Back to a 0005 schema with one contribution row.
		if err := s.DB.Exec(`ALTER TABLE contributions DROP COLUMN pending_contributors`).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.DB.Exec(`DELETE FROM schema_migrations WHERE id = ?`, "0006_confirmations").Error; err != nil {
			t.Fatal(err)
		}
		if err := s.DB.Exec(`INSERT INTO contributions (id, uri, community_id, contributor_id, contributors, title, kind, licence, state, local, created_at, updated_at)
			VALUES ('c1', 'https://x.example/c1', 'g1', 'a1', '["https://x.example/a1"]', 'T', 'other', 'CC0-1.0', 'open', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		co, err := s.ContributionByID(ctx, "c1")
		if err != nil || co.PendingContributors != "" {
			t.Fatalf("old row after 0006: %+v %v", co, err)
		}
		// A conditional update: the first with the right old value wins, a
		// second with the same (now stale) old value changes nothing.
		if err := s.DB.Exec(`UPDATE contributions SET pending_contributors = ? WHERE id = 'c1'`, `["https://x.example/b"]`).Error; err != nil {
			t.Fatal(err)
		}
		entry := []models.LedgerEntry{{ID: models.NewID(), CommunityID: "g1", ContributionID: "c1", ContributorID: "b", Kind: "other", Weight: 1}}
		for i, want := range []bool{true, false} {
			changed, err := s.SetContributors(ctx, "c1", "open", `["https://x.example/b"]`, []string{"https://x.example/a1", "https://x.example/b"}, "", entry)
			if err != nil || changed != want {
				t.Fatalf("attempt %d: changed %v, %v", i, changed, err)
			}
			entry = []models.LedgerEntry{{ID: models.NewID(), CommunityID: "g1", ContributionID: "c1", ContributorID: "b", Kind: "other", Weight: 1}}
		}
		if n, _ := s.CountLedger(ctx, "g1"); n != 1 {
			t.Fatalf("%d ledger entries, want 1", n)
		}
	})
}
