package store_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// listColumn is a []string model field stored through gorm's JSON serializer.
type listColumn struct {
	table, column string
	model         any
	create        func(t *testing.T, s *store.Store, l []string) string // returns the row id
	read          func(t *testing.T, s *store.Store, id string) []string
}

func listColumns() []listColumn {
	note := func(set func(*models.Note, []string)) func(*testing.T, *store.Store, []string) string {
		return func(t *testing.T, s *store.Store, l []string) string {
			n := &models.Note{ID: models.NewID(), Type: "Note", AuthorID: models.NewID(), Visibility: "public", Published: time.Now()}
			n.URI = "https://x.test/notes/" + n.ID
			set(n, l)
			if err := s.DB.Create(n).Error; err != nil {
				t.Fatal(err)
			}
			return n.ID
		}
	}
	readNote := func(get func(*models.Note) []string) func(*testing.T, *store.Store, string) []string {
		return func(t *testing.T, s *store.Store, id string) []string {
			var n models.Note
			if err := s.DB.First(&n, "id = ?", id).Error; err != nil {
				t.Fatal(err)
			}
			return get(&n)
		}
	}
	contribution := func(set func(*models.Contribution, []string)) func(*testing.T, *store.Store, []string) string {
		return func(t *testing.T, s *store.Store, l []string) string {
			c := &models.Contribution{ID: models.NewID(), CommunityID: models.NewID(), ContributorID: models.NewID(),
				Title: "t", Kind: "code", Licence: "MIT", State: models.ContributionChangesRequested}
			c.URI = "https://x.test/contributions/" + c.ID
			set(c, l)
			if err := s.DB.Create(c).Error; err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
	}
	readContribution := func(get func(*models.Contribution) []string) func(*testing.T, *store.Store, string) []string {
		return func(t *testing.T, s *store.Store, id string) []string {
			var c models.Contribution
			if err := s.DB.First(&c, "id = ?", id).Error; err != nil {
				t.Fatal(err)
			}
			return get(&c)
		}
	}
	return []listColumn{
		{"notes", "to", &models.Note{}, note(func(n *models.Note, l []string) { n.To = l }), readNote(func(n *models.Note) []string { return n.To })},
		{"notes", "cc", &models.Note{}, note(func(n *models.Note, l []string) { n.CC = l }), readNote(func(n *models.Note) []string { return n.CC })},
		{"contributions", "contributors", &models.Contribution{}, contribution(func(c *models.Contribution, l []string) { c.Contributors = l }),
			readContribution(func(c *models.Contribution) []string { return c.Contributors })},
		{"contributions", "links", &models.Contribution{}, contribution(func(c *models.Contribution, l []string) { c.Links = l }),
			readContribution(func(c *models.Contribution) []string { return c.Links })},
		{"reports", "object_uris", &models.Report{}, func(t *testing.T, s *store.Store, l []string) string {
			r := &models.Report{ID: models.NewID(), ReporterID: models.NewID(), ObjectURIs: l}
			r.URI = "https://x.test/reports/" + r.ID
			if err := s.DB.Create(r).Error; err != nil {
				t.Fatal(err)
			}
			return r.ID
		}, func(t *testing.T, s *store.Store, id string) []string {
			var r models.Report
			if err := s.DB.First(&r, "id = ?", id).Error; err != nil {
				t.Fatal(err)
			}
			return r.ObjectURIs
		}},
	}
}

// raw returns the column's stored text (nil for NULL).
func raw(t *testing.T, s *store.Store, c listColumn, id string) *string {
	t.Helper()
	var out []sql.NullString
	if err := s.DB.Table(c.table).Where("id = ?", id).Pluck(c.column, &out).Error; err != nil || len(out) != 1 {
		t.Fatalf("read %s.%s: %v (%d rows)", c.table, c.column, err, len(out))
	}
	if !out[0].Valid {
		return nil
	}
	return &out[0].String
}

// TestJSONListColumns: the []string fields stored with gorm's JSON serializer keep
// the schema (a text column) and the stored format (a JSON array), so rows written
// before the serializer read the same; an empty column or NULL reads as an empty
// list; nil is written as NULL and a non-nil empty list as [].
func TestJSONListColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, c := range listColumns() {
			t.Run(c.table+"."+c.column, func(t *testing.T) {
				types, err := s.DB.Migrator().ColumnTypes(c.model)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, ct := range types {
					if ct.Name() == c.column {
						found = true
						if tn := strings.ToLower(ct.DatabaseTypeName()); tn != "text" {
							t.Errorf("column type %q, want text", tn)
						}
					}
				}
				if !found {
					t.Fatalf("no column %s", c.column)
				}

				writes := []struct {
					name   string
					list   []string
					stored *string
				}{
					{"two", []string{"https://a.test/1", "https://b.test/\"q\""}, ptr(`["https://a.test/1","https://b.test/\"q\""]`)},
					{"empty", []string{}, ptr(`[]`)},
					{"nil", nil, nil},
				}
				for _, w := range writes {
					id := c.create(t, s, w.list)
					got := raw(t, s, c, id)
					if fmt.Sprint(deref(got)) != fmt.Sprint(deref(w.stored)) || (got == nil) != (w.stored == nil) {
						t.Errorf("write %s: stored %v, want %v", w.name, deref(got), deref(w.stored))
					}
					if back := c.read(t, s, id); !slices.Equal(back, w.list) {
						t.Errorf("write %s: read back %q", w.name, back)
					}
				}

				// Rows as the old helpers stored them (jsonList, mustJSON of nil).
				legacy := []struct {
					stored *string
					want   []string
				}{
					{ptr(`["https://a.test/1","https://b.test/2"]`), []string{"https://a.test/1", "https://b.test/2"}},
					{ptr(`[]`), nil},
					{ptr(`null`), nil},
					{ptr(``), nil},
					{nil, nil},
				}
				for _, l := range legacy {
					id := c.create(t, s, []string{"placeholder"})
					var v any
					if l.stored != nil {
						v = *l.stored
					}
					if err := s.DB.Table(c.table).Where("id = ?", id).Update(c.column, v).Error; err != nil {
						t.Fatal(err)
					}
					if got := c.read(t, s, id); !slices.Equal(got, l.want) {
						t.Errorf("stored %v: read %q, want %q", deref(l.stored), got, l.want)
					}
				}
			})
		}
	})
}

func ptr(s string) *string { return &s }

func deref(s *string) any {
	if s == nil {
		return "NULL"
	}
	return *s
}
