package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestThreadEditedAndLikes: a post edited by its author shows edited_at in
// the thread; every note of the thread carries its like count.
func TestThreadEditedAndLikes(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	base := "/api/v1/communities/seeds"
	newCommunity(t, inst, fern, "seeds", nil)
	r := call(t, inst, "POST", base+"/discussions", fern, map[string]any{"content": "Swap day\n\nBring jars."})
	expect(t, r, http.StatusCreated)
	var post struct{ ID, URI string }
	r.json(t, &post)
	type note struct {
		Content  string
		EditedAt *string `json:"edited_at"`
		Likes    *int64
	}
	var thread struct {
		Post    note
		Replies []note
	}
	r = call(t, inst, "GET", base+"/discussions/"+post.ID, "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &thread)
	if thread.Post.EditedAt != nil || thread.Post.Likes == nil || *thread.Post.Likes != 0 {
		t.Fatalf("before the edit: %s", r.Body)
	}
	expect(t, call(t, inst, "PUT", "/api/v1/notes/"+post.ID, fern, map[string]any{"content": "Swap day\n\nBring jars and bags."}), http.StatusOK)
	u, _ := inst.App.Svc.Accounts.ByUsername(context.Background(), "fern")
	if err := inst.App.Store.PutLike(context.Background(), &models.Like{ID: models.NewID(), URI: inst.URL + "/likes/1", ActorID: u.ActorID, ObjectURI: post.URI}); err != nil {
		t.Fatal(err)
	}
	r = call(t, inst, "GET", base+"/discussions/"+post.ID, "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &thread)
	if thread.Post.EditedAt == nil || thread.Post.Likes == nil || *thread.Post.Likes != 1 {
		t.Fatalf("after the edit and a like: %s", r.Body)
	}
}
