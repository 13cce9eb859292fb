package federation_test

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// statementLog records the SQL statements st runs through gorm from now on
// (reads, writes, raw statements and savepoints; not BEGIN/COMMIT, nor the
// job queue's own SQL, which bypasses gorm) until stop is called.
type statementLog struct {
	mu   sync.Mutex
	on   bool
	sqls []string
}

func logStatements(t *testing.T, st *store.Store) *statementLog {
	t.Helper()
	l := &statementLog{on: true}
	rec := func(db *gorm.DB) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.on && !strings.Contains(db.Statement.SQL.String(), "river_job") { // WaitQueueIdle's polling
			l.sqls = append(l.sqls, db.Statement.SQL.String())
		}
	}
	cb := st.DB.Callback()
	name := fmt.Sprintf("test:statements_%p", l)
	for kind, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register(name+"_query", rec),
		"row":    cb.Row().After("gorm:row").Register(name+"_row", rec),
		"raw":    cb.Raw().After("gorm:raw").Register(name+"_raw", rec),
		"create": cb.Create().After("gorm:create").Register(name+"_create", rec),
		"update": cb.Update().After("gorm:update").Register(name+"_update", rec),
		"delete": cb.Delete().After("gorm:delete").Register(name+"_delete", rec),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", kind, err)
		}
	}
	return l
}

func (l *statementLog) stop() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.sqls
}

// TestProcessingBatchStatements: what a batch of inbound Create{Note}
// mentioning a local user costs in SQL statements per activity (the
// processing CPU is mostly statements: README, "Where the time of an inbound
// activity goes"). The bound is a count, never a duration; a change that adds
// a statement per activity to this path shows here. COMMONSD_TEST_LOG_STATEMENTS=1
// prints the statements.
func TestProcessingBatchStatements(t *testing.T) {
	e := newInboxEnv(t)
	mention := func(id string) map[string]any {
		n := e.note(id, e.x, "")
		n["cc"] = []string{e.ada}
		n["tag"] = []map[string]string{{"type": "Mention", "href": e.ada, "name": "@ada"}}
		return e.act("Create", e.x, "object", n, "to", []string{asPublic}, "cc", []string{e.ada})
	}
	// The sender is known before the batch (its first activity fetched it),
	// as in BenchmarkDrain: a batch runs offline.
	e.setup(e.x, mention(e.id("notes")))
	const n = 16
	var rows []models.Activity
	var ids []string
	for range n {
		d := mention(e.id("notes"))
		r := models.Activity{ID: models.NewID(), URI: d["id"].(string), Type: "Create", ActorURI: e.x,
			ObjectURI: d["object"].(map[string]any)["id"].(string), Raw: string(mustJSON(t, d)),
			State: models.ActivityPending, CreatedAt: time.Now()}
		rows, ids = append(rows, r), append(ids, r.ID)
	}
	e.inst.WaitQueueIdle(t)
	log := logStatements(t, e.inst.App.Store)
	e.storePending(t, rows, federation.ProcessInbox{ActivityIDs: ids})
	e.inst.WaitQueueIdle(t)
	sqls := log.stop()
	sql := e.inst.App.Store.SQL()
	var processed int
	if err := sql.QueryRow("SELECT count(*) FROM activities WHERE id IN ("+placeholders(e.inst.App.Store.Driver, len(ids))+") AND state = 'processed'", anys(ids)...).Scan(&processed); err != nil {
		t.Fatal(err)
	}
	if processed != n {
		t.Fatalf("%d of %d activities processed", processed, n)
	}
	if os.Getenv("COMMONSD_TEST_LOG_STATEMENTS") != "" {
		for _, s := range sqls {
			t.Log(s)
		}
	}
	per := float64(len(sqls)) / n
	t.Logf("%s: %d statements for %d Create{Note} (%.1f per activity)", e.inst.App.Store.Driver, len(sqls), n, per)
	if max := 7.0; per > max {
		t.Errorf("%.1f statements per Create{Note}, want at most %.0f", per, max)
	}
}

func placeholders(driver string, n int) string {
	ps := make([]string, n)
	for i := range ps {
		if driver == "postgres" {
			ps[i] = fmt.Sprintf("$%d", i+1)
		} else {
			ps[i] = "?"
		}
	}
	return strings.Join(ps, ",")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
