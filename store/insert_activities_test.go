package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
	"gorm.io/gorm"
)

// TestActivityColumnsAreTheModels: InsertActivities spells its INSERT out (one
// statement with RETURNING for the inbox's group commit), so a column added to
// models.Activity must be added there too; and every field set on a row comes
// back from the database as it was given (the values follow the columns).
func TestActivityColumnsAreTheModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		stmt := &gorm.Statement{DB: s.DB}
		if err := stmt.Parse(&models.Activity{}); err != nil {
			t.Fatal(err)
		}
		if got, want := slices.Sorted(slices.Values(store.ActivityColumns)), slices.Sorted(slices.Values(stmt.Schema.DBNames)); !slices.Equal(got, want) {
			t.Fatalf("InsertActivities writes %v, models.Activity has %v", got, want)
		}
		ctx := context.Background()
		at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		later := at.Add(time.Minute)
		in := models.Activity{ID: models.NewID(), URI: "https://x.example/a/1", Type: "Create", ActorURI: "https://x.example/u/x",
			ObjectURI: "https://x.example/n/1", Local: true, Public: true, Raw: `{"id":"https://x.example/a/1"}`,
			State: models.ActivityFailed, Error: "an error", CreatedAt: at, ProcessedAt: &later}
		ins, err := s.InsertActivities(ctx, []models.Activity{in})
		if err != nil || !ins[in.ID] {
			t.Fatalf("inserted %v, %v", ins, err)
		}
		var got models.Activity
		if err := s.DB.First(&got, "id = ?", in.ID).Error; err != nil {
			t.Fatal(err)
		}
		got.CreatedAt, got.ProcessedAt = got.CreatedAt.UTC(), ptrUTC(got.ProcessedAt)
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("stored %+v, want %+v", got, in)
		}
	})
}

func ptrUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
