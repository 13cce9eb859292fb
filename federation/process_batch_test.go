package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// One processing job carries the activities the inbox committed together. An
// activity of the batch that fails for a transient reason (its object cannot
// be fetched: 503) takes nothing of the others with it: they are processed,
// it stays pending and the job is retried; the retry processes what is left
// and does not process the finished ones again.
// storePending stores rows as pending inbound activities and enqueues job for
// them in the same transaction, as the inbox's group commit does.
func (e *inboxEnv) storePending(t *testing.T, rows []models.Activity, job federation.ProcessInbox) {
	t.Helper()
	ctx := context.Background()
	err := e.inst.App.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.InsertActivities(ctx, rows); err != nil {
			return err
		}
		return e.inst.App.Queue.InsertTx(ctx, tx, job)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProcessingBatchFailsOneActivityAlone(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	flaky := e.id("notes")
	e.rem.Fail(flaky[len(e.rem.URL()):], 503)
	mention := func(id string) map[string]any {
		n := e.note(id, e.x, "")
		n["cc"] = []string{e.ada}
		n["tag"] = []map[string]string{{"type": "Mention", "href": e.ada}}
		return n
	}
	n1, n2 := e.id("notes"), e.id("notes")
	docs := []map[string]any{
		e.act("Create", e.x, "object", mention(n1), "to", []string{asPublic}, "cc", []string{e.ada}),
		e.act("Create", e.x, "object", flaky, "to", []string{asPublic}, "cc", []string{e.ada}),
		e.act("Create", e.x, "object", mention(n2), "to", []string{asPublic}, "cc", []string{e.ada}),
	}
	var rows []models.Activity
	var ids []string
	for _, d := range docs {
		r := models.Activity{ID: models.NewID(), URI: d["id"].(string), Type: "Create", ActorURI: e.x,
			Raw: string(mustJSON(t, d)), State: models.ActivityPending, CreatedAt: time.Now()}
		rows, ids = append(rows, r), append(ids, r.ID)
	}
	batch := federation.ProcessInbox{ActivityIDs: ids}
	insert := func(rows []models.Activity) { t.Helper(); e.storePending(t, rows, batch) }
	insert(rows)
	for _, i := range []int{0, 2} {
		if got := waitProcessed(t, e.inst, rows[i].URI); got.State != models.ActivityProcessed {
			t.Fatalf("activity %d: %s %s", i, got.State, got.Error)
		}
	}
	// The job is waiting for its retry, the flaky activity with it.
	eventually(t, "the batch job waits for a retry", func() bool {
		var n int64
		e.inst.App.Store.DB.Raw("SELECT count(*) FROM river_job WHERE kind = ? AND state = 'retryable'", batch.Kind()).Scan(&n)
		return n == 1
	})
	if a, err := e.inst.App.Store.ActivityByURI(ctx, rows[1].URI); err != nil || a.State != models.ActivityPending {
		t.Fatalf("flaky activity: %+v %v", a, err)
	}
	timeline := func() int64 {
		var n int64
		e.inst.App.Store.DB.Table("timeline_entries").Where("owner_id = ?", actorOf(t, e.inst, "ada").ID).Count(&n)
		return n
	}
	before := timeline()
	// The object comes back; the same batch runs again (as its retry does).
	e.rem.Fail(flaky[len(e.rem.URL()):], 0)
	e.rem.Serve(flaky[len(e.rem.URL()):], mustJSON(t, mention(flaky)))
	if err := e.inst.App.Queue.Insert(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if got := waitProcessed(t, e.inst, rows[1].URI); got.State != models.ActivityProcessed {
		t.Fatalf("flaky activity after the retry: %s %s", got.State, got.Error)
	}
	e.inst.WaitQueueIdle(t)
	if after := timeline(); after != before+1 {
		t.Errorf("ada's timeline grew by %d, want 1 (the retried note only)", after-before)
	}
	for _, uri := range []string{n1, n2, flaky} {
		e.noteRow(uri)
	}
}

// A batch's Undo/Delete checks are read for the whole batch at once: a Create
// whose note the same sender deleted in a later activity of the same job is
// not stored (ignored, as when the Delete was processed first), while the
// other activities of the batch take effect.
func TestProcessingBatchSeesDeletesOfTheSameBatch(t *testing.T) {
	e := newInboxEnv(t)
	n1, n2 := e.id("notes"), e.id("notes")
	create := func(id string) map[string]any {
		n := e.note(id, e.x, "")
		return e.act("Create", e.x, "object", n, "to", []string{asPublic})
	}
	docs := []struct {
		doc    map[string]any
		object string
	}{
		{create(n1), n1},
		{e.act("Delete", e.x, "object", n1, "to", []string{asPublic}), n1},
		{create(n2), n2},
	}
	var rows []models.Activity
	var ids []string
	for _, d := range docs {
		r := models.Activity{ID: models.NewID(), URI: d.doc["id"].(string), Type: d.doc["type"].(string), ActorURI: e.x,
			ObjectURI: d.object, Raw: string(mustJSON(t, d.doc)), State: models.ActivityPending, CreatedAt: time.Now()}
		rows, ids = append(rows, r), append(ids, r.ID)
	}
	e.storePending(t, rows, federation.ProcessInbox{ActivityIDs: ids})
	if got := waitProcessed(t, e.inst, rows[0].URI); got.State != models.ActivityIgnored {
		t.Errorf("the deleted note's Create: %s %s, want ignored", got.State, got.Error)
	}
	if got := waitProcessed(t, e.inst, rows[2].URI); got.State != models.ActivityProcessed {
		t.Errorf("the other Create: %s %s", got.State, got.Error)
	}
	waitProcessed(t, e.inst, rows[1].URI)
	e.noteRow(n2)
	var n int64
	e.inst.App.Store.DB.Model(&models.Note{}).Where("uri = ?", n1).Count(&n)
	if n != 0 {
		t.Errorf("the deleted note was stored")
	}
}
