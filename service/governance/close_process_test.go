package governance_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// Two worker processes on one PostgreSQL close the same proposals at the same
// moment (issue 11: "two worker processes never close a proposal twice").
// The parent re-executes this test binary twice (as queue's TestCrashResume
// does); each child runs the close job of every proposal at an agreed instant.
// What a child publishes is written to a table in the close's own
// transaction, so the parent sees exactly what was committed.

const (
	envCloseChildDSN   = "GOV_CLOSE_CHILD_DSN"
	envCloseChildIDs   = "GOV_CLOSE_CHILD_IDS"   // comma-separated proposal ids
	envCloseChildNow   = "GOV_CLOSE_CHILD_NOW"   // the service clock, RFC 3339
	envCloseChildStart = "GOV_CLOSE_CHILD_START" // when to start closing, Unix ns
)

// published is a row of the child's publisher: one committed activity.
type published struct {
	ID         string `gorm:"primaryKey;size:64"`
	Proposal   string `gorm:"size:2048"` // the Question the activity is about or the decision it carries out
	Type       string `gorm:"size:16"`
	Object     string `gorm:"size:64"` // question-closed, question, outcome, effect
	ProcessPID int
}

func (published) TableName() string { return "test_published" }

// txPublisher writes each activity into test_published in the caller's
// transaction: a close that rolls back publishes nothing.
type txPublisher struct{ st *store.Store }

func (p txPublisher) Publish(ctx context.Context, tx *store.Store, out *service.Outbound) error {
	if tx == nil {
		tx = p.st
	}
	row := published{ID: models.NewID(), Type: out.Type, ProcessPID: os.Getpid(), Proposal: service.DecisionOf(ctx), Object: "effect"}
	switch o := out.Object.(type) {
	case core.QuestionObject:
		row.Proposal, row.Object = o.Proposal.URI, "question"
		if o.Proposal.ClosedAt != nil {
			row.Object = "question-closed"
		}
	case core.OutcomeObject:
		row.Proposal, row.Object = o.Note.InReplyToURI, "outcome"
	}
	return tx.DB.WithContext(ctx).Create(&row).Error
}

// TestCloseProcessChild is a worker process of TestCloseTwoProcesses; it
// runs only when started by it.
func TestCloseProcessChild(t *testing.T) {
	dsn := os.Getenv(envCloseChildDSN)
	if dsn == "" {
		t.Skip("helper process")
	}
	st, err := store.Open(store.Options{Driver: "postgres", DSN: dsn, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now, err := time.Parse(time.RFC3339, os.Getenv(envCloseChildNow))
	if err != nil {
		t.Fatal(err)
	}
	start, err := strconv.ParseInt(os.Getenv(envCloseChildStart), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	s := servicetest.New(t, st)
	s.Now = func() time.Time { return now }
	s.SetPorts(txPublisher{st: st}, nil, nil)
	s.SetQueue(&jobs{}, nil)
	ids := strings.Split(os.Getenv(envCloseChildIDs), ",")
	ctx := context.Background()
	for _, id := range ids { // warm the pool and caches before the start
		if _, err := st.ProposalByID(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Until(time.Unix(0, start)))
	for _, id := range ids {
		closed, err := s.Governance.Close(ctx, id)
		if err != nil {
			t.Fatalf("close %s: %v", id, err)
		}
		fmt.Printf("CLOSE %s %v\n", id, closed)
	}
}

// TestCloseTwoProcesses: two processes run the close job of the same four
// proposals against one PostgreSQL database at the same instant. Each
// proposal is closed by exactly one of them: one Update{Question} with
// closed, one outcome note, its effect (a role granted) once — in the
// committed activities and in the database. PostgreSQL only (SQLite is one
// process's file); under CI=true a missing PostgreSQL fails.
func TestCloseTwoProcesses(t *testing.T) {
	dsn := storetest.NewDatabase(t, "postgres") // fails under CI=true without PostgreSQL, skips elsewhere
	st, err := store.Open(store.Options{Driver: "postgres", DSN: dsn, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.DB.AutoMigrate(&published{}); err != nil { // the children's publisher's table, this test's only
		t.Fatal(err)
	}
	f := newFixture(t, st)
	var ids []string
	var latest time.Time
	for _, who := range []*models.Actor{f.alice, f.bob, f.carol, f.rita} { // one role granted per proposal
		p := f.propose(t, f.founder, governance.ProposalInput{Kind: "grant_role",
			Args: json.RawMessage(fmt.Sprintf(`{"member":%q,"role":"maintainer"}`, who.URI))})
		for _, v := range []string{"alice", "bob", "carol"} {
			f.cast(t, p, vote{v, governance.OptionYes, 0})
		}
		ids = append(ids, p.ID)
		if p.ClosesAt.After(latest) {
			latest = p.ClosesAt
		}
	}
	start := time.Now().Add(3 * time.Second)
	run := func() (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCloseProcessChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), envCloseChildDSN+"="+dsn, envCloseChildIDs+"="+strings.Join(ids, ","),
			envCloseChildNow+"="+latest.Add(time.Second).UTC().Format(time.RFC3339), envCloseChildStart+"="+strconv.FormatInt(start.UnixNano(), 10))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	c1, out1 := run()
	c2, out2 := run()
	for i, c := range []*exec.Cmd{c1, c2} {
		if err := c.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i+1, err, []*bytes.Buffer{out1, out2}[i])
		}
	}
	closedBy := map[string]int{}
	for _, out := range []*bytes.Buffer{out1, out2} {
		sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
		for sc.Scan() {
			var id string
			var closed bool
			if n, _ := fmt.Sscanf(sc.Text(), "CLOSE %s %t", &id, &closed); n == 2 && closed {
				closedBy[id]++
			}
		}
	}
	var rows []published
	if err := st.DB.Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	type key struct{ uri, typ, object string }
	sent := map[key]int{}
	pids := map[int]bool{}
	for _, r := range rows {
		sent[key{r.Proposal, r.Type, r.Object}]++
		pids[r.ProcessPID] = true
	}
	for _, id := range ids {
		p, err := st.ProposalByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if closedBy[id] != 1 {
			t.Errorf("%s closed by %d processes, want 1", id, closedBy[id])
		}
		if p.State != models.ProposalPassed || p.ClosedAt == nil {
			t.Errorf("%s: state %s", id, p.State)
		}
		want := map[key]int{
			{p.URI, core.TypeUpdate, "question-closed"}: 1,
			{p.URI, core.TypeCreate, "outcome"}:         1,
			{p.URI, core.TypeAdd, "effect"}:             1,
		}
		for k, n := range want {
			if sent[k] != n {
				t.Errorf("%s: %d × %s %s committed, want %d", id, sent[k], k.typ, k.object, n)
			}
		}
		var outcomes, changes int64
		st.DB.Model(&models.Note{}).Where("in_reply_to_uri = ? AND author_id = ?", p.URI, f.group.ID).Count(&outcomes)
		var args struct{ Member string }
		_ = json.Unmarshal([]byte(p.Args), &args)
		member, err := st.ActorByURI(ctx, args.Member)
		if err != nil {
			t.Fatalf("%s: member %q: %v", id, args.Member, err)
		}
		st.DB.Model(&models.RoleChange{}).Where("community_id = ? AND actor_id = ? AND new_role = ?", f.group.ID, member.ID, models.RoleCommunityMaintainer).Count(&changes)
		if outcomes != 1 || changes != 1 {
			t.Errorf("%s: %d outcome notes, %d role changes for %s; want 1 and 1", id, outcomes, changes, args.Member)
		}
	}
	t.Logf("%d activities committed by %d process(es); closes per proposal %v", len(rows), len(pids), closedBy)
}
