package store_test

import (
	"context"
	"errors"
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

// seedPlanTables fills the tables the inbox and processing paths read: each
// of the first 200 actors has ten followers (and ten blockers), every other row
// stands alone.
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
		tags     []models.NoteTag
	)
	for i := 0; i < planRows; i++ {
		host := fmt.Sprintf("h%d.example", i%7)
		actors = append(actors, models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: fmt.Sprintf("u%d", i),
			UsernameLower: fmt.Sprintf("u%d", i), Domain: host, URI: fmt.Sprintf("https://%s/users/u%d", host, i),
			PublicKeyID: fmt.Sprintf("https://%s/users/u%d#main-key", host, i), CreatedAt: now, UpdatedAt: now})
		notes = append(notes, models.Note{ID: models.NewID(), URI: fmt.Sprintf("%s/notes/%d", planSender, i), Type: "Note",
			AuthorID: actors[0].ID, Visibility: models.VisibilityPublic, Published: now, CreatedAt: now, UpdatedAt: now})
		follows = append(follows, models.Follow{ID: models.NewID(), URI: fmt.Sprintf("%s/follows/%d", planSender, i),
			FollowerID: actors[i].ID, TargetID: actors[i/10].ID, State: models.FollowAccepted, CreatedAt: now, UpdatedAt: now})
		members = append(members, models.Membership{ID: models.NewID(), CommunityID: actors[0].ID, ActorID: actors[i].ID,
			Role: "member", State: "active", URI: fmt.Sprintf("%s/joins/%d", planSender, i), CreatedAt: now, UpdatedAt: now})
		contribs = append(contribs, models.Contribution{ID: models.NewID(), URI: fmt.Sprintf("%s/works/%d", planSender, i),
			OfferURI: fmt.Sprintf("%s/offers/%d", planSender, i), CommunityID: actors[0].ID, ContributorID: actors[0].ID,
			Title: "t", Kind: "code", Licence: "MIT", State: "pending", CreatedAt: now, UpdatedAt: now})
		tags = append(tags, models.NoteTag{ID: models.NewID(), NoteID: notes[i].ID, Type: "Hashtag", Name: fmt.Sprintf("tag%d", i)})
		likes = append(likes, models.Like{ID: models.NewID(), URI: fmt.Sprintf("%s/likes/%d", planSender, i),
			ActorID: actors[0].ID, ObjectURI: notes[i].URI, CreatedAt: now})
		boosts = append(boosts, models.Announce{ID: models.NewID(), URI: fmt.Sprintf("%s/announces/%d", planSender, i),
			ActorID: actors[0].ID, ObjectURI: notes[i].URI, CreatedAt: now})
		blocks = append(blocks, models.Block{ID: models.NewID(), URI: fmt.Sprintf("%s/blocks/%d", planSender, i),
			ActorID: actors[i].ID, TargetID: actors[i/10].ID, CreatedAt: now})
	}
	for _, rows := range []any{&actors, &notes, &follows, &members, &contribs, &likes, &boosts, &blocks, &tags} {
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

// read is a table a statement reads and the index meant for it on each database.
type read struct{ table, sqlite, pg string }

type reads []read

// usesIndexes reports whether plan reads no table in full and reads each table
// of want through its index, and why not.
func usesIndexes(driver string, plan []string, want reads) (bool, string) {
	joined := strings.Join(plan, "\n")
	for i, l := range plan {
		node := strings.TrimLeft(l, " ->")
		if driver == "postgres" && strings.HasPrefix(node, "Seq Scan") ||
			driver != "postgres" && strings.HasPrefix(node, "SCAN ") && node != "SCAN CONSTANT ROW" &&
				!strings.HasPrefix(node, "SCAN json_each VIRTUAL TABLE") { // the list parameter of anyOf, not a table
			return false, "a full scan (" + node + ")"
		}
		// PostgreSQL: an index scan with no Index Cond reads the whole index
		// (a merge join may walk a primary key from its start).
		if driver == "postgres" && (strings.HasPrefix(node, "Index Scan") || strings.HasPrefix(node, "Index Only Scan")) &&
			!hasIndexCond(plan[i+1:]) {
			return false, "a full index scan (" + node + ")"
		}
	}
	for _, r := range want {
		var forms []string
		if driver == "postgres" {
			forms = []string{"Index Scan using " + r.pg + " on " + r.table, "Index Only Scan using " + r.pg + " on " + r.table,
				"Bitmap Index Scan on " + r.pg}
		} else {
			forms = []string{"SEARCH " + r.table + " USING INDEX " + r.sqlite + " (", "SEARCH " + r.table + " USING COVERING INDEX " + r.sqlite + " ("}
		}
		found := false
		for _, f := range forms {
			found = found || strings.Contains(joined, f)
		}
		if !found {
			idx := r.sqlite
			if driver == "postgres" {
				idx = r.pg
			}
			return false, "no search of " + r.table + " through index " + idx
		}
	}
	return true, ""
}

// hasIndexCond reports whether the detail lines of a PostgreSQL plan node (those
// before the next node, marked "->") hold an Index Cond.
func hasIndexCond(rest []string) bool {
	for _, l := range rest {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "->") {
			return false
		}
		if strings.HasPrefix(l, "Index Cond:") {
			return true
		}
	}
	return false
}

// TestInboundQueriesUseTheirIndex: every query of the inbox and of inbound
// processing that we can name finds its rows through the index meant for it, on
// both databases, with 5 000 activities of one sender and 2 000 rows in the
// other tables: on SQLite as it runs (no statistics) and after ANALYZE, on
// PostgreSQL after ANALYZE (with statistics; a planner without them proves little).
func TestInboundQueriesUseTheirIndex(t *testing.T) {
	ctx := context.Background()
	// Every call must reach the database: no answer from the actor cache.
	ttl := store.ActorCacheTTL
	store.ActorCacheTTL = 0
	t.Cleanup(func() { store.ActorCacheTTL = ttl })
	seen := planSender + "/activities/17"
	var ids []string // actor ids of the seeded database in use
	cases := []struct {
		name           string
		reads          reads // the tables the statement reads, each with the index meant for it
		call           func(s *store.Store) error
		wantStatements int
	}{
		{"InboundActivityExists", reads{{"activities", "idx_activities_object_type", "idx_activities_object_type"}}, func(s *store.Store) error {
			_, err := s.InboundActivityExists(ctx, "Undo", planSender, planSender+"/objects/4")
			return err
		}, 1},
		// The processing job's batch (federation/process.go): one query for
		// the Undo/Delete checks of up to 32 activities, one to load them, one
		// to mark them processed.
		{"InboundCancels", reads{{"activities", "idx_activities_object_type", "idx_activities_object_type"}}, func(s *store.Store) error {
			var uris []string
			for i := 0; i < 64; i++ {
				uris = append(uris, fmt.Sprintf("%s/objects/%d", planSender, i*7))
			}
			uris = append(uris, planSender+`/objects/"quoted"\and,comma}`)
			found, err := s.InboundCancels(ctx, uris)
			want := 0 // seedActivities: object i belongs to an Undo (i%6 == 4) or a Delete (5)
			for i := 0; i < 64; i++ {
				if k := (i * 7) % 6; k == 4 || k == 5 {
					want++
				}
			}
			if err == nil && len(found) != want {
				return fmt.Errorf("InboundCancels found %d, want %d", len(found), want)
			}
			return err
		}, 1},
		{"PendingActivities", reads{{"activities", "sqlite_autoindex_activities_1", "activities_pkey"}}, func(s *store.Store) error {
			_, err := s.PendingActivities(ctx, batchIDs(32))
			return err
		}, 1},
		{"FinishActivities' update", reads{{"activities", "sqlite_autoindex_activities_1", "activities_pkey"}}, func(s *store.Store) error {
			err := s.FinishActivities(ctx, batchIDs(32), models.ActivityProcessed)
			if errors.Is(err, store.ErrConflict) {
				return nil // none pending: the statement ran all the same
			}
			return err
		}, 1},
		{"ActivityByURI", reads{{"activities", "idx_activities_uri", "idx_activities_uri"}}, func(s *store.Store) error {
			_, err := s.ActivityByURI(ctx, seen)
			return err
		}, 1},
		{"ActivityByID", reads{{"activities", "sqlite_autoindex_activities_1", "activities_pkey"}}, func(s *store.Store) error {
			_, err := s.ActivityByID(ctx, "01HZZZZZZZZZZZZZZZZZZZZZZZ")
			return err
		}, 1},
		{"FinishActivity's update", reads{{"activities", "sqlite_autoindex_activities_1", "activities_pkey"}}, func(s *store.Store) error {
			a, err := s.ActivityByURI(ctx, seen)
			if err != nil {
				return err
			}
			if err := s.DB.Model(a).Update("state", models.ActivityPending).Error; err != nil {
				return err
			}
			return s.FinishActivity(ctx, a.ID, models.ActivityProcessed, "")
		}, 3},
		{"NoteByURI", reads{{"notes", "idx_notes_uri", "idx_notes_uri"}}, func(s *store.Store) error {
			_, err := s.NoteByURI(ctx, planSender+"/notes/9")
			return err
		}, 1},
		{"ActorByURI", reads{{"actors", "idx_actors_uri", "idx_actors_uri"}}, func(s *store.Store) error {
			_, err := s.ActorByURI(ctx, "https://h3.example/users/u3")
			return err
		}, 1},
		{"ActorByKeyID", reads{{"actors", "idx_actors_public_key_id", "idx_actors_public_key_id"}}, func(s *store.Store) error {
			_, err := s.ActorByKeyID(ctx, "https://h3.example/users/u3#main-key")
			return err
		}, 1},
		{"FollowByURI", reads{{"follows", "idx_follows_uri", "idx_follows_uri"}}, func(s *store.Store) error {
			_, err := s.FollowByURI(ctx, planSender+"/follows/9")
			return err
		}, 1},
		{"MembershipByURI", reads{{"memberships", "idx_memberships_uri", "idx_memberships_uri"}}, func(s *store.Store) error {
			_, err := s.MembershipByURI(ctx, planSender+"/joins/9")
			return err
		}, 1},
		{"ContributionByOfferURI", reads{{"contributions", "idx_contributions_offer_uri", "idx_contributions_offer_uri"}}, func(s *store.Store) error {
			_, err := s.ContributionByOfferURI(ctx, planSender+"/offers/9")
			return err
		}, 1},
		{"ActorByHandle", reads{{"actors", "idx_actor_handle", "idx_actor_handle"}}, func(s *store.Store) error {
			_, err := s.ActorByHandle(ctx, "u3", "h3.example")
			return err
		}, 1},
		{"FollowByPair", reads{{"follows", "idx_follow_pair", "idx_follow_pair"}}, func(s *store.Store) error {
			_, err := s.FollowByPair(ctx, ids[90], ids[9])
			return err
		}, 1},
		{"IsBlocked", reads{{"blocks", "idx_block_pair", "idx_block_pair"}}, func(s *store.Store) error {
			_, err := s.IsBlocked(ctx, ids[90], ids[9])
			return err
		}, 1},
		// The processing batch's "which of these notes exist", one list parameter (anyOf).
		{"KnowNotes", reads{{"notes", "idx_notes_uri", "idx_notes_uri"}}, func(s *store.Store) error {
			return s.Tx(ctx, func(tx *store.Store) error {
				return tx.KnowNotes(store.WithUnitOfWork(ctx, tx), []string{planSender + "/notes/9", planSender + "/notes/10"})
			})
		}, 1},
		// The dedup is the unique index's conflict check inside the INSERT,
		// which says with RETURNING what it inserted: no read at all.
		{"InsertActivities' dedup", reads{}, func(s *store.Store) error {
			_, err := s.InsertActivities(ctx, []models.Activity{{ID: models.NewID(), URI: planSender + "/activities/new",
				Type: "Create", ActorURI: planSender, ObjectURI: planSender + "/objects/new", Raw: "{}",
				State: models.ActivityPending, CreatedAt: time.Now().UTC()}})
			return err
		}, 1},
		{"ActorByID", reads{{"actors", "sqlite_autoindex_actors_1", "actors_pkey"}}, func(s *store.Store) error {
			_, err := s.ActorByID(ctx, ids[7])
			return err
		}, 1},
		{"FollowByID", reads{{"follows", "sqlite_autoindex_follows_1", "follows_pkey"}}, func(s *store.Store) error {
			_, err := s.FollowByID(ctx, ids[7]) // an actor id: not found, through the same index
			return err
		}, 1},
		{"NoteTags", reads{{"note_tags", "idx_note_tags_note_id", "idx_note_tags_note_id"}}, func(s *store.Store) error {
			n, err := s.NoteByURI(ctx, planSender+"/notes/9")
			if err != nil {
				return err
			}
			_, err = s.NoteTags(ctx, n.ID)
			return err
		}, 2},
		{"LocalFollowerIDs", reads{{"follows", "idx_follows_target_id", "idx_follows_target_id"},
			{"actors", "sqlite_autoindex_actors_1", "actors_pkey"}}, func(s *store.Store) error {
			_, err := s.LocalFollowerIDs(ctx, ids[9])
			return err
		}, 1},
		{"FollowerInboxes", reads{{"follows", "idx_follows_target_id", "idx_follows_target_id"},
			{"actors", "sqlite_autoindex_actors_1", "actors_pkey"}}, func(s *store.Store) error {
			_, err := s.FollowerInboxes(ctx, ids[9])
			return err
		}, 1},
		{"LikeByURI", reads{{"likes", "idx_likes_uri", "idx_likes_uri"}}, func(s *store.Store) error {
			_, err := s.LikeByURI(ctx, planSender+"/likes/9")
			return err
		}, 1},
		{"AnnounceByURI", reads{{"announces", "idx_announces_uri", "idx_announces_uri"}}, func(s *store.Store) error {
			_, err := s.AnnounceByURI(ctx, planSender+"/announces/9")
			return err
		}, 1},
		{"BlockByURI", reads{{"blocks", "idx_blocks_uri", "idx_blocks_uri"}}, func(s *store.Store) error {
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
					for _, tbl := range []string{"activities", "actors", "notes", "follows", "memberships", "contributions", "likes", "announces", "blocks", "note_tags"} {
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
						plan := explain(t, s, st)
						t.Logf("%s\n  %s", st.sql, strings.Join(plan, "\n  "))
						if ok, why := usesIndexes(driver, plan, c.reads); !ok {
							t.Errorf("%s: %s.\nquery: %s\nplan:\n  %s", c.name, why, st.sql, strings.Join(plan, "\n  "))
						}
					})
				}
			}
		})
	}
}

// batchIDs are n activity ids as a processing job carries them (none stored).
func batchIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = models.NewID()
	}
	return ids
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
