package federation_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/service"
)

// TestFedifyReceivesNoteEdit: ada edits a note Fedify follows her for; Fedify
// verifies the Update{Note}, reads the new text and the `updated` time.
func TestFedifyReceivesNoteEdit(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")
	followID, err := peer.Follow(inst.ActorURL("ada"))
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Accept" && a.Object == followID
	}, 15*time.Second)
	n, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "Meeting at **noon**"})
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Object == n.URI }, 15*time.Second)
	if _, err := inst.App.Svc.Social.EditNote(ctx, ada, n.ID, service.NoteEdit{Content: "Meeting at **one**"}); err != nil {
		t.Fatal(err)
	}
	up := peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Update" && a.Object == n.URI }, 15*time.Second)
	if up.Actor != ada.URI || up.FetchError != nil || up.FetchedObject == nil || up.FetchedObject.Content == nil ||
		!strings.Contains(*up.FetchedObject.Content, "<strong>one</strong>") {
		t.Fatalf("Update as Fedify read it: %+v (error %v)", up.FetchedObject, up.FetchError)
	}
	var obj struct {
		Updated string `json:"updated"`
	}
	if err := json.Unmarshal(up.FetchedObject.JSON, &obj); err != nil || obj.Updated == "" {
		t.Fatalf("no updated in %s (%v)", up.FetchedObject.JSON, err)
	}
}
