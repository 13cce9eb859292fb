package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

// processed waits until the inbound activity uri has been processed (whatever the
// outcome).
func processed(t *testing.T, inst *apptest.Instance, uri string) {
	t.Helper()
	eventually(t, "processing of "+uri, func() bool {
		a, err := inst.App.Store.ActivityByURI(context.Background(), uri)
		return err == nil && a.State != models.ActivityPending
	})
}

// TestUndoAndDeleteArrivingFirst: peers deliver in parallel and our jobs run
// concurrently, so an Undo can be processed before its Follow and a Delete before
// its Create. The cancelled activity must not take effect when it comes after.
func TestUndoAndDeleteArrivingFirst(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")
	rem := newRemote(t)
	inbox := inst.ActorURL("ada") + "/inbox"
	x := rem.Actor("x")
	send := func(doc map[string]any) {
		t.Helper()
		if code, body := rem.postAs(t, inbox, x, mustJSON(t, doc)); code != 202 {
			t.Fatalf("%s: %d %s", doc["type"], code, body)
		}
		processed(t, inst, doc["id"].(string))
	}

	follow := followDoc(x, x+"#follows/1", ada.URI)
	send(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": x + "#follows/1/undo",
		"type": "Undo", "actor": x, "object": follow})
	send(follow)
	if n, _ := inst.App.Store.CountFollowers(ctx, ada.ID); n != 0 {
		t.Errorf("the follow undone before it arrived exists (%d followers)", n)
	}

	noteID := x + "/notes/1"
	send(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": x + "/notes/1#delete",
		"type": "Delete", "actor": x, "object": map[string]any{"id": noteID, "type": "Tombstone"}})
	send(createDoc(x, x+"/notes/1/activity", noteID))
	if n, err := inst.App.Store.NoteByURI(ctx, noteID); err == nil && n.DeletedAt == nil {
		t.Errorf("the note deleted before it arrived is visible")
	}
}
