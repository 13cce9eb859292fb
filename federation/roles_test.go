package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

// TestWebRoleStoresWithoutProcessing: a `serve --role web` process accepts and
// stores inbox activities but leaves their processing to worker processes. No
// sleep: the web process has no worker, so its job stays available until a worker
// process of the same instance starts, which processes it once.
func TestWebRoleStoresWithoutProcessing(t *testing.T) {
	rem := newRemote(t)
	inst := apptest.StartRole(t, app.RoleWeb)
	newUser(t, inst, "ada")
	x := rem.Actor("x")
	if code, body := rem.postAs(t, inst.URL+"/inbox", x, mustJSON(t, followDoc(x, x+"/follows/1", inst.ActorURL("ada")))); code != 202 {
		t.Fatalf("inbox: %d %s", code, body)
	}
	ctx := context.Background()
	row, err := inst.App.Store.ActivityByURI(ctx, x+"/follows/1")
	if err != nil {
		t.Fatal(err)
	}
	attempts := func() (n []int) {
		inst.App.Store.DB.Raw("SELECT attempt FROM river_job WHERE kind = 'inbox.process'").Scan(&n)
		return n
	}
	if a := attempts(); len(a) != 1 || a[0] != 0 {
		t.Fatalf("inbox jobs' attempts after the 202: %v, want one job not attempted", a)
	}
	row, _ = inst.App.Store.ActivityByID(ctx, row.ID)
	if row.State != models.ActivityPending {
		t.Fatalf("a web-only process processed the activity: %s", row.State)
	}
	if n, _ := inst.App.Store.CountFollowers(ctx, actorOf(t, inst, "ada").ID); n != 0 {
		t.Fatal("a web-only process created the follow")
	}

	inst.StartWorker(t)
	inst.WaitQueueIdle(t)
	row, _ = inst.App.Store.ActivityByID(ctx, row.ID)
	if row.State != models.ActivityProcessed {
		t.Fatalf("the worker process left the activity %s: %s", row.State, row.Error)
	}
	if n, _ := inst.App.Store.CountFollowers(ctx, actorOf(t, inst, "ada").ID); n != 1 {
		t.Fatalf("followers after the worker: %d, want 1", n)
	}
	if a := attempts(); len(a) != 1 || a[0] != 1 {
		t.Fatalf("inbox jobs' attempts: %v, want one job attempted once", a)
	}
}
