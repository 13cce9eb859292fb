package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

// TestWebRoleStoresWithoutProcessing: a `serve --role web` process accepts and
// stores inbox activities but leaves their processing to worker processes.
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
	time.Sleep(500 * time.Millisecond)
	row, _ = inst.App.Store.ActivityByID(ctx, row.ID)
	if row.State != models.ActivityPending {
		t.Fatalf("a web-only process processed the activity: %s", row.State)
	}
	if n, _ := inst.App.Store.CountFollowers(ctx, actorOf(t, inst, "ada").ID); n != 0 {
		t.Fatal("a web-only process created the follow")
	}
}
