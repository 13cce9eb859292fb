package frontend_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestTagPage: the hashtag links in notes lead to a page of the public notes with
// that tag; unlisted or deleted notes stay off it.
func TestTagPage(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	act := actor(t, inst, "ada")
	pub, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "Seed swap #Commons"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "quiet #commons", Visibility: "unlisted"}); err != nil {
		t.Fatal(err)
	}
	gone, _ := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "removed #commons"})
	if err := inst.App.Svc.Social.DeleteNote(ctx, act, gone.ID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pub.Content, `href="`+inst.URL+`/tags/commons"`) {
		t.Fatalf("hashtag link: %s", pub.Content)
	}
	p := ada.get("/tags/commons")
	want(t, p, http.StatusOK, "#commons", "Seed swap")
	if strings.Contains(p.Body, "quiet") || strings.Contains(p.Body, "removed") {
		t.Fatal("tag page shows an unlisted or deleted note")
	}
	want(t, ada.get("/tags/nothing_here"), http.StatusOK, "No public notes")
	if got := ada.get("/tags/bad%20tag"); got.Status != http.StatusNotFound {
		t.Fatalf("bad tag: %d", got.Status)
	}
}
