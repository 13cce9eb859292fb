package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestSearchNotesUsesItsIndex: on PostgreSQL, SearchNotes finds notes through
// the GIN index of migration 0011 (idx_notes_search over NoteSearchVector), not
// by reading every note: with 6 000 notes and statistics, a word in a handful of
// them is looked up in the index. The plan is of the statement SearchNotes
// really sends, so a query whose expression drifts from the index's (another
// configuration, another column order) reads the table and fails here. SQLite
// has no full-text index (its fallback is LIKE, a scan by design): PostgreSQL
// only.
func TestSearchNotesUsesItsIndex(t *testing.T) {
	ctx := context.Background()
	for _, driver := range storetest.Drivers(t) {
		if driver != "postgres" {
			continue
		}
		t.Run(driver, func(t *testing.T) {
			s := storetest.Open(t, driver)
			now := time.Now().UTC()
			author := models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "gardener", UsernameLower: "gardener",
				Domain: "h.example", URI: "https://h.example/users/gardener", PublicKeyID: "https://h.example/users/gardener#main-key",
				CreatedAt: now, UpdatedAt: now}
			if err := s.DB.Create(&author).Error; err != nil {
				t.Fatal(err)
			}
			const total, rare = 6000, 5
			notes := make([]models.Note, 0, total)
			for i := 0; i < total; i++ {
				text := fmt.Sprintf("<p>Note %d about beans, leeks and the weather in the garden</p>", i)
				if i%(total/rare) == 0 {
					text = fmt.Sprintf("<p>Note %d: the zucchini are early this year</p>", i)
				}
				notes = append(notes, models.Note{ID: models.NewID(), URI: fmt.Sprintf("%s/notes/%d", author.URI, i), Type: "Note",
					AuthorID: author.ID, Content: text, Visibility: models.VisibilityPublic,
					Published: now.Add(-time.Duration(i) * time.Minute), CreatedAt: now, UpdatedAt: now})
			}
			if err := s.DB.CreateInBatches(&notes, 500).Error; err != nil {
				t.Fatal(err)
			}
			for _, tbl := range []string{"notes", "actors"} {
				if err := s.DB.Exec("ANALYZE " + tbl).Error; err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range []struct {
				name, q string
				want    int
			}{
				{"one word", "zucchini", rare},
				{"two words", "zucchini early", rare},
				{"a phrase", `"the zucchini"`, rare},
			} {
				t.Run(tc.name, func(t *testing.T) {
					var found []models.Note
					stmts := captureStatements(t, s, func() error {
						var err error
						found, err = s.SearchNotes(ctx, tc.q, store.PublicNotes, 20, 0)
						return err
					})
					if len(found) != tc.want {
						t.Fatalf("%d notes found, want %d", len(found), tc.want)
					}
					if len(stmts) != 1 {
						t.Fatalf("%d statements, want 1: %v", len(stmts), stmts)
					}
					plan := explain(t, s, stmts[0])
					joined := strings.Join(plan, "\n  ")
					t.Logf("%s\n  %s", stmts[0].sql, joined)
					if !strings.Contains(joined, "Bitmap Index Scan on idx_notes_search") {
						t.Errorf("SearchNotes does not use idx_notes_search.\nquery: %s\nplan:\n  %s", stmts[0].sql, joined)
					}
					if strings.Contains(joined, "Seq Scan on notes") {
						t.Errorf("SearchNotes reads every note.\nplan:\n  %s", joined)
					}
				})
			}
		})
	}
}
