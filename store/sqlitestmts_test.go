package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// cachedStatements reports the statements the pool's only connection keeps.
func cachedStatements(t *testing.T, db *sql.DB) []string {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var qs []string
	if err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stmtCachingConn)
		if !ok {
			return fmt.Errorf("connection is %T, not the statement-caching one", dc)
		}
		for e := c.lru.Front(); e != nil; e = e.Next() {
			qs = append(qs, e.Value.(*cachedStmt).query)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return qs
}

func openCachingSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openSQLite(filepath.Join(t.TempDir(), "c.db") + "?_pragma=journal_mode(WAL)&_time_format=sqlite")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := db.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func allValues(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string) []string {
	t.Helper()
	rows, err := q.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestSQLiteStatementCache checks the cases where reusing a prepared statement
// could go wrong: the same query run again while its rows are still open, a
// failed execution, a schema change, a rolled-back transaction, and the bound.
func TestSQLiteStatementCache(t *testing.T) {
	const sel = `SELECT v FROM t ORDER BY id`
	cases := []struct {
		name string
		run  func(t *testing.T, db *sql.DB)
	}{
		{"repeated query is prepared once and cached", func(t *testing.T, db *sql.DB) {
			for range 3 {
				if got := allValues(t, db, sel); !reflect.DeepEqual(got, []string{"v1", "v2", "v3"}) {
					t.Fatalf("got %v", got)
				}
			}
			n := 0
			for _, q := range cachedStatements(t, db) {
				if q == sel {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%q cached %d times, want once: %v", sel, n, cachedStatements(t, db))
			}
		}},
		{"same query inside its own open rows runs unprepared, both complete", func(t *testing.T, db *sql.DB) {
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			allValues(t, tx, sel) // cache it
			rows, err := tx.Query(sel)
			if err != nil {
				t.Fatal(err)
			}
			var outer []string
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				outer = append(outer, v)
				if inner := allValues(t, tx, sel); !reflect.DeepEqual(inner, []string{"v1", "v2", "v3"}) {
					t.Fatalf("inner query got %v", inner)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			if !reflect.DeepEqual(outer, []string{"v1", "v2", "v3"}) {
				t.Fatalf("outer query got %v", outer)
			}
		}},
		{"a failed exec drops the statement, the next one works", func(t *testing.T, db *sql.DB) {
			const ins = `INSERT INTO t (id, v) VALUES (?, ?)`
			if _, err := db.Exec(ins, 10, "v10"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(ins, 11, "v10"); err == nil {
				t.Fatal("duplicate value inserted")
			}
			if _, err := db.Exec(ins, 12, "v12"); err != nil {
				t.Fatalf("after a failure: %v", err)
			}
			if got := allValues(t, db, sel); !reflect.DeepEqual(got, []string{"v1", "v2", "v3", "v10", "v12"}) {
				t.Fatalf("got %v", got)
			}
		}},
		{"a schema change is seen by a cached statement", func(t *testing.T, db *sql.DB) {
			const star = `SELECT * FROM t WHERE id = 1`
			cols := func() []string {
				rows, err := db.Query(star)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				c, err := rows.Columns()
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			if got := cols(); len(got) != 2 {
				t.Fatalf("columns %v", got)
			}
			if _, err := db.Exec(`ALTER TABLE t ADD COLUMN w TEXT`); err != nil {
				t.Fatal(err)
			}
			if got := cols(); len(got) != 3 {
				t.Fatalf("after ALTER TABLE: columns %v", got)
			}
		}},
		{"a rolled-back insert through a cached statement is gone", func(t *testing.T, db *sql.DB) {
			const ins = `INSERT INTO t (id, v) VALUES (?, ?)`
			if _, err := db.Exec(ins, 20, "v20"); err != nil { // cache it
				t.Fatal(err)
			}
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ins, 21, "v21"); err != nil {
				t.Fatal(err)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if got := allValues(t, db, sel); !reflect.DeepEqual(got, []string{"v1", "v2", "v3", "v20"}) {
				t.Fatalf("got %v", got)
			}
		}},
		{"the cache keeps at most stmtCacheSize statements", func(t *testing.T, db *sql.DB) {
			for i := range stmtCacheSize + 20 {
				var n int
				if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) + %d FROM t`, i)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 3+i {
					t.Fatalf("query %d gave %d", i, n)
				}
			}
			if got := len(cachedStatements(t, db)); got != stmtCacheSize {
				t.Fatalf("%d statements cached, want %d", got, stmtCacheSize)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, openCachingSQLite(t)) })
	}
}

// TestSQLiteTimeFormat: times are bound as the text the previous driver wrote
// (glebarez/go-sqlite's default layout), so the rows of a database it wrote
// still compare and sort with new ones in WHERE created_at < ? and ORDER BY.
func TestSQLiteTimeFormat(t *testing.T) {
	s, err := Open(Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 12, 2, 14, 5, 6, 123456000, time.UTC)
	var got string
	if err := s.SQL().QueryRow(`SELECT ?`, at).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "2026-12-02 14:05:06.123456+00:00"; got != want {
		t.Fatalf("a time is stored as %q, want %q (the layout databases already hold)", got, want)
	}
}
