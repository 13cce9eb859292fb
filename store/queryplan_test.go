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
	"gorm.io/gorm"
)

// The queries of the inbox and of inbound processing run for every activity a
// peer sends: each must find its rows through the index meant for it, on both
// databases, whatever the size of the tables. These tests fill the tables the
// way a busy sender does (thousands of activities from one actor, the shape that
// made SQLite pick the actor_uri index and read a sender's whole history for
// every check) and EXPLAIN the statements the store methods really send.

const (
	planSender   = "https://busy.example/users/loud"
	planActivity = 5000 // activities of planSender
	planRows     = 2000 // rows in each other table on the paths
)

// seedPlanTables fills the tables the inbox and processing paths read.
func seedPlanTables(t testing.TB, s *store.Store) (actorIDs []string) {
	t.Helper()
	now := time.Now().UTC()
	seedActivities(t, s, planSender, planActivity)
	seedActivities(t, s, "https://other.example/users/quiet", 50)
	var (
		actors   []models.Actor
		notes    []models.Note
		follows  []models.Follow
		members  []models.Membership
		contribs []models.Contribution
		likes    []models.Like
		boosts   []models.Announce
		blocks   []models.Block
	)
	for i := 0; i < planRows; i++ {
		host := fmt.Sprintf("h%d.example", i%7)
		actors = append(actors, models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: fmt.Sprintf("u%d", i),
			UsernameLower: fmt.Sprintf("u%d", i), Domain: host, URI: fmt.Sprintf("https://%s/users/u%d", host, i),
			PublicKeyID: fmt.Sprintf("https://%s/users/u%d#main-key", host, i), CreatedAt: now, UpdatedAt: now})
		notes = append(notes, models.Note{ID: models.NewID(), URI: fmt.Sprintf("%s/notes/%d", planSender, i), Type: "Note",
			AuthorID: actors[0].ID, Visibility: models.VisibilityPublic, Published: now, CreatedAt: now, UpdatedAt: now})
		follows = append(follows, models.Follow{ID: models.NewID(), URI: fmt.Sprintf("%s/follows/%d", planSender, i),
			FollowerID: actors[0].ID, TargetID: actors[i].ID, State: models.FollowAccepted, CreatedAt: now, UpdatedAt: now})
		members = append(members, models.Membership{ID: models.NewID(), CommunityID: actors[0].ID, ActorID: actors[i].ID,
			Role: "member", State: "active", URI: fmt.Sprintf("%s/joins/%d", planSender, i), CreatedAt: now, UpdatedAt: now})
		contribs = append(contribs, models.Contribution{ID: models.NewID(), URI: fmt.Sprintf("%s/works/%d", planSender, i),
			OfferURI: fmt.Sprintf("%s/offers/%d", planSender, i), CommunityID: actors[0].ID, ContributorID: actors[0].ID,
			Title: "t", Kind: "code", Licence: "MIT", State: "pending", CreatedAt: now, UpdatedAt: now})
		likes = append(likes, models.Like{ID: models.NewID(), URI: fmt.Sprintf("%s/likes/%d", planSender, i),
			ActorID: actors[0].ID, ObjectURI: notes[i].URI, CreatedAt: now})
		boosts = append(boosts, models.Announce{ID: models.NewID(), URI: fmt.Sprintf("%s/announces/%d", planSender, i),
			ActorID: actors[0].ID, ObjectURI: notes[i].URI, CreatedAt: now})
		blocks = append(blocks, models.Block{ID: models.NewID(), URI: fmt.Sprintf("%s/blocks/%d", planSender, i),
			ActorID: actors[0].ID, TargetID: actors[i].ID, CreatedAt: now})
	}
	for _, rows := range []any{&actors, &notes, &follows, &members, &contribs, &likes, &boosts, &blocks} {
		if err := s.DB.CreateInBatches(rows, 200).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range actors {
		actorIDs = append(actorIDs, a.ID)
	}
	return actorIDs
}

// seedActivities stores n inbound activities of sender, as a long-followed
// actor leaves them: creates, likes, announces, follows, each about its own object.
func seedActivities(t testing.TB, s *store.Store, sender string, n int) {
	t.Helper()
	types := []string{"Create", "Like", "Announce", "Follow", "Undo", "Delete"}
	now := time.Now().UTC()
	rows := make([]models.Activity, 0, 500)
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if err := s.DB.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		rows = rows[:0]
	}
	for i := 0; i < n; i++ {
		typ := types[i%len(types)]
		rows = append(rows, models.Activity{ID: models.NewID(), URI: fmt.Sprintf("%s/activities/%d", sender, i), Type: typ,
			ActorURI: sender, ObjectURI: fmt.Sprintf("%s/objects/%d", sender, i), Raw: "{}",
			State: models.ActivityProcessed, CreatedAt: now})
		if len(rows) == cap(rows) {
			flush()
		}
	}
	flush()
}

// statement is one SQL statement a store method sent, with its arguments.
type statement struct {
	sql  string
	vars []any
}

// captureStatements records the statements sent through s.DB while fn runs.
func captureStatements(t testing.TB, s *store.Store, fn func() error) []statement {
	t.Helper()
	var got []statement
	record := func(db *gorm.DB) {
		if db.Statement.SQL.Len() > 0 {
			got = append(got, statement{db.Statement.SQL.String(), append([]any(nil), db.Statement.Vars...)})
		}
	}
	cb := s.DB.Callback()
	name := "planrecord"
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(cb.Query().After("gorm:query").Register(name, record))
	must(cb.Update().After("gorm:update").Register(name, record))
	must(cb.Row().After("gorm:row").Register(name, record))
	defer func() {
		must(cb.Query().Remove(name))
		must(cb.Update().Remove(name))
		must(cb.Row().Remove(name))
	}()
	if err := fn(); err != nil && err != store.ErrNotFound {
		t.Fatalf("the query failed: %v", err)
	}
	return got
}

// explain returns the plan of st, one line per plan node.
func explain(t testing.TB, s *store.Store, st statement) []string {
	t.Helper()
	prefix := "EXPLAIN QUERY PLAN "
	if s.Driver == "postgres" {
		prefix = "EXPLAIN "
	}
	rows, err := s.SQL().QueryContext(context.Background(), prefix+st.sql, st.vars...)
	if err != nil {
		t.Fatalf("explain %s: %v", st.sql, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(cells[len(cells)-1])) // SQLite: detail is last; PostgreSQL: one column
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// usesIndex reports whether plan reads table only through index, and why not.
func usesIndex(driver string, plan []string, table, index string) (bool, string) {
	joined := strings.Join(plan, "\n")
	if driver == "postgres" {
		if strings.Contains(joined, "Seq Scan on "+table) {
			return false, "a sequential scan of " + table
		}
		for _, want := range []string{"Index Scan using " + index + " on " + table, "Index Only Scan using " + index + " on " + table,
			"Bitmap Index Scan on " + index} {
			if strings.Contains(joined, want) {
				return true, ""
			}
		}
		return false, "no scan of index " + index
	}
	for _, l := range plan {
		if strings.HasPrefix(l, "SCAN "+table) {
			return false, "a full scan of " + table
		}
	}
	for _, want := range []string{"SEARCH " + table + " USING INDEX " + index + " (", "SEARCH " + table + " USING COVERING INDEX " + index + " ("} {
		if strings.Contains(joined, want) {
			return true, ""
		}
	}
	return false, "no search of " + table + " through index " + index
}

// TestInboundQueriesUseTheirIndex: every query of the inbox and of inbound
// processing that we can name finds its rows through the index meant for it, on
// both databases, with 5 000 activities of one sender and 2 000 rows in the
// other tables: on SQLite as it runs (no statistics) and after ANALYZE, on
// PostgreSQL after ANALYZE (with statistics; a planner without them proves little).
func TestInboundQueriesUseTheirIndex(t *testing.T) {
	ctx := context.Background()
	seen := planSender + "/activities/17"
	var ids []string // actor ids of the seeded database in use
	cases := []struct {
		name           string
		table          string
		sqlite, pg     string // the intended index on each database
		call           func(s *store.Store) error
		wantStatements int
	}{
		{"InboundActivityExists", "activities", "idx_activities_object_type", "idx_activities_object_type", func(s *store.Store) error {
			_, err := s.InboundActivityExists(ctx, "Undo", planSender, planSender+"/objects/4")
			return err
		}, 1},
		{"ActivityByURI", "activities", "idx_activities_uri", "idx_activities_uri", func(s *store.Store) error {
			_, err := s.ActivityByURI(ctx, seen)
			return err
		}, 1},
		{"ActivityByID", "activities", "sqlite_autoindex_activities_1", "activities_pkey", func(s *store.Store) error {
			_, err := s.ActivityByID(ctx, "01HZZZZZZZZZZZZZZZZZZZZZZZ")
			return err
		}, 1},
		{"FinishActivity's update", "activities", "sqlite_autoindex_activities_1", "activities_pkey", func(s *store.Store) error {
			a, err := s.ActivityByURI(ctx, seen)
			if err != nil {
				return err
			}
			if err := s.DB.Model(a).Update("state", models.ActivityPending).Error; err != nil {
				return err
			}
			return s.FinishActivity(ctx, a.ID, models.ActivityProcessed, "")
		}, 3},
		{"NoteByURI", "notes", "idx_notes_uri", "idx_notes_uri", func(s *store.Store) error {
			_, err := s.NoteByURI(ctx, planSender+"/notes/9")
			return err
		}, 1},
		{"ActorByURI", "actors", "idx_actors_uri", "idx_actors_uri", func(s *store.Store) error {
			_, err := s.ActorByURI(ctx, "https://h3.example/users/u3")
			return err
		}, 1},
		{"ActorByKeyID", "actors", "idx_actors_public_key_id", "idx_actors_public_key_id", func(s *store.Store) error {
			_, err := s.ActorByKeyID(ctx, "https://h3.example/users/u3#main-key")
			return err
		}, 1},
		{"FollowByURI", "follows", "idx_follows_uri", "idx_follows_uri", func(s *store.Store) error {
			_, err := s.FollowByURI(ctx, planSender+"/follows/9")
			return err
		}, 1},
		{"MembershipByURI", "memberships", "idx_memberships_uri", "idx_memberships_uri", func(s *store.Store) error {
			_, err := s.MembershipByURI(ctx, planSender+"/joins/9")
			return err
		}, 1},
		{"ContributionByOfferURI", "contributions", "idx_contributions_offer_uri", "idx_contributions_offer_uri", func(s *store.Store) error {
			_, err := s.ContributionByOfferURI(ctx, planSender+"/offers/9")
			return err
		}, 1},
		{"ActorByHandle", "actors", "idx_actor_handle", "idx_actor_handle", func(s *store.Store) error {
			_, err := s.ActorByHandle(ctx, "u3", "h3.example")
			return err
		}, 1},
		{"FollowByPair", "follows", "idx_follow_pair", "idx_follow_pair", func(s *store.Store) error {
			_, err := s.FollowByPair(ctx, ids[0], ids[9])
			return err
		}, 1},
		{"IsBlocked", "blocks", "idx_block_pair", "idx_block_pair", func(s *store.Store) error {
			_, err := s.IsBlocked(ctx, ids[0], ids[9])
			return err
		}, 1},
		{"InsertActivities' dedup", "activities", "sqlite_autoindex_activities_1", "activities_pkey", func(s *store.Store) error {
			_, err := s.InsertActivities(ctx, []models.Activity{{ID: models.NewID(), URI: planSender + "/activities/new",
				Type: "Create", ActorURI: planSender, ObjectURI: planSender + "/objects/new", Raw: "{}",
				State: models.ActivityPending, CreatedAt: time.Now().UTC()}})
			return err
		}, 1},
		{"LikeByURI", "likes", "idx_likes_uri", "idx_likes_uri", func(s *store.Store) error {
			_, err := s.LikeByURI(ctx, planSender+"/likes/9")
			return err
		}, 1},
		{"AnnounceByURI", "announces", "idx_announces_uri", "idx_announces_uri", func(s *store.Store) error {
			_, err := s.AnnounceByURI(ctx, planSender+"/announces/9")
			return err
		}, 1},
		{"BlockByURI", "blocks", "idx_blocks_uri", "idx_blocks_uri", func(s *store.Store) error {
			_, err := s.BlockByURI(ctx, planSender+"/blocks/9")
			return err
		}, 1},
	}
	for _, driver := range storetest.Drivers(t) {
		t.Run(driver, func(t *testing.T) {
			s := storetest.Open(t, driver)
			ids = seedPlanTables(t, s)
			stats := []bool{false, true} // SQLite as it runs (no ANALYZE), then with statistics
			if driver == "postgres" {
				stats = []bool{true}
			}
			for _, analyzed := range stats {
				if analyzed {
					for _, tbl := range []string{"activities", "actors", "notes", "follows", "memberships", "contributions", "likes", "announces", "blocks"} {
						if err := s.DB.Exec("ANALYZE " + tbl).Error; err != nil {
							t.Fatal(err)
						}
					}
				}
				for _, c := range cases {
					t.Run(fmt.Sprintf("%s/analyzed=%v", c.name, analyzed), func(t *testing.T) {
						stmts := captureStatements(t, s, func() error { return c.call(s) })
						if len(stmts) != c.wantStatements {
							t.Fatalf("%d statements, want %d: %v", len(stmts), c.wantStatements, stmts)
						}
						// The last statement is the one under test (FinishActivity's
						// case first loads the row and resets its state).
						st := stmts[len(stmts)-1]
						index := c.sqlite
						if driver == "postgres" {
							index = c.pg
						}
						plan := explain(t, s, st)
						t.Logf("%s\n  %s", st.sql, strings.Join(plan, "\n  "))
						if ok, why := usesIndex(driver, plan, c.table, index); !ok {
							t.Errorf("%s reads %s by %s, not by index %s.\nquery: %s\nplan:\n  %s",
								c.name, c.table, why, index, st.sql, strings.Join(plan, "\n  "))
						}
					})
				}
			}
		})
	}
}

// BenchmarkInboundActivityExists measures the check every inbound Create,
// Follow, Like, Announce and Block runs, for a sender with a short and a long
// history: with the right index the cost does not grow with it.
func BenchmarkInboundActivityExists(b *testing.B) {
	ctx := context.Background()
	for _, driver := range storetest.Drivers(b) {
		for _, history := range []int{100, 10000} {
			b.Run(fmt.Sprintf("%s/history=%d", driver, history), func(b *testing.B) {
				s := storetest.Open(b, driver)
				seedActivities(b, s, planSender, history)
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					obj := fmt.Sprintf("%s/objects/%d", planSender, i%history)
					if _, err := s.InboundActivityExists(ctx, "Undo", planSender, obj); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
