package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestFederatedFollowPostDeleteUnfollow drives two instances only through the API:
// ada on A follows bob on B, bob posts, ada reads it in her timeline, bob deletes
// it, ada unfollows.
func TestFederatedFollowPostDeleteUnfollow(t *testing.T) {
	a, b := start(t), start(t)
	ada := tokenFor(t, a, "ada", "member")
	admin := tokenFor(t, a, "admin1", "admin")
	bob := tokenFor(t, b, "bob", "member")
	eve := tokenFor(t, b, "eve", "member")
	ctx := context.Background()

	r := call(t, a, "POST", "/api/v1/follows", ada, map[string]string{"target": b.Handle("bob")})
	expect(t, r, http.StatusCreated)
	var f followOut
	r.json(t, &f)
	if f.ID == "" || f.State != models.FollowPending || f.Target == nil || f.Target.URI != b.ActorURL("bob") ||
		f.Target.Handle != b.Handle("bob") || f.Target.Local || f.Follower != nil {
		t.Fatalf("follow %s", r.Body)
	}
	eventually(t, "B's Accept", func() bool {
		l := getList[followOut](t, a, "/api/v1/follows", ada)
		return len(l) == 1 && l[0].ID == f.ID && l[0].State == models.FollowAccepted
	})
	followers := getList[followOut](t, b, "/api/v1/followers", bob)
	if len(followers) != 1 || followers[0].Follower == nil || followers[0].Follower.Handle != a.Handle("ada") ||
		followers[0].State != models.FollowAccepted {
		t.Fatalf("B's followers %+v", followers)
	}

	// The Follow went out as one delivery job, done on the first attempt.
	act, err := a.App.Store.ActivityByURI(ctx, a.URL+"/activities/"+f.ID)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []struct {
		ActivityID string `json:"activity_id"`
		Inbox      string
		Host       string
		State      string
		Attempt    int
	}
	eventually(t, "the Follow's delivery to complete", func() bool {
		r := call(t, a, "GET", "/api/v1/admin/deliveries?state=completed&host="+b.Host, admin, nil)
		expect(t, r, http.StatusOK)
		r.json(t, &jobs)
		return len(jobs) > 0
	})
	r = call(t, a, "GET", "/api/v1/admin/deliveries?activity_id="+act.ID, admin, nil)
	expect(t, r, http.StatusOK)
	r.json(t, &jobs)
	if len(jobs) != 1 || jobs[0].State != "completed" || jobs[0].Attempt != 1 || jobs[0].Host != b.Host ||
		(jobs[0].Inbox != b.URL+"/inbox" && jobs[0].Inbox != b.ActorURL("bob")+"/inbox") {
		t.Fatalf("deliveries of the Follow %+v", jobs)
	}
	var counts map[string]int64
	r = call(t, a, "GET", "/api/v1/admin/deliveries/counts", admin, nil)
	expect(t, r, http.StatusOK)
	r.json(t, &counts)
	if counts["completed"] < 1 {
		t.Fatalf("counts %s", r.Body)
	}

	r = call(t, b, "POST", "/api/v1/notes", bob, map[string]any{
		"content": "Hello **fediverse** #Commons @ada@" + a.Host, "visibility": "public"})
	expect(t, r, http.StatusCreated)
	var n noteOut
	r.json(t, &n)
	if !strings.Contains(n.Content, "<strong>fediverse</strong>") || n.Visibility != "public" ||
		n.URI != b.URL+"/notes/"+n.ID || n.Author.Handle != b.Handle("bob") ||
		len(n.Mentions) != 1 || n.Mentions[0].URI != a.ActorURL("ada") || n.Mentions[0].Handle != a.Handle("ada") ||
		len(n.Tags) != 1 || n.Tags[0].Name != "commons" {
		t.Fatalf("note %s", r.Body)
	}
	own := getList[entryOut](t, b, "/api/v1/timeline", bob)
	if len(own) != 1 || own[0].Note.ID != n.ID {
		t.Fatalf("bob's own timeline %+v", own)
	}

	var tl []entryOut
	eventually(t, "the note in ada's timeline", func() bool {
		tl = getList[entryOut](t, a, "/api/v1/timeline", ada)
		return len(tl) == 1
	})
	e := tl[0]
	if e.Note.URI != n.URI || e.Author.Handle != b.Handle("bob") || e.Note.Author.URI != b.ActorURL("bob") ||
		e.BoostedBy != nil || !strings.Contains(e.Note.Content, "<strong>fediverse</strong>") ||
		len(e.Note.Tags) != 1 || len(e.Note.Mentions) != 1 {
		t.Fatalf("timeline entry %+v", e)
	}

	// Only the author deletes; a token of another instance means nothing here.
	expect(t, call(t, b, "DELETE", "/api/v1/notes/"+n.ID, eve, nil), http.StatusForbidden)
	expect(t, call(t, b, "DELETE", "/api/v1/notes/"+n.ID, ada, nil), http.StatusUnauthorized)
	expect(t, call(t, b, "DELETE", "/api/v1/notes/"+n.ID, bob, nil), http.StatusNoContent)
	expect(t, call(t, b, "DELETE", "/api/v1/notes/"+n.ID, bob, nil), http.StatusNotFound)
	eventually(t, "the Delete to reach A", func() bool {
		return len(getList[entryOut](t, a, "/api/v1/timeline", ada)) == 0
	})

	expect(t, call(t, a, "DELETE", "/api/v1/follows/"+f.ID, ada, nil), http.StatusNoContent)
	if l := getList[followOut](t, a, "/api/v1/follows", ada); len(l) != 0 {
		t.Fatalf("follows after unfollow %+v", l)
	}
	eventually(t, "the Undo to reach B", func() bool {
		return len(getList[followOut](t, b, "/api/v1/followers", bob)) == 0
	})
	bobActor, err := b.App.Store.ActorByURI(ctx, b.ActorURL("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := b.App.Store.CountFollowers(ctx, bobActor.ID); n != 0 {
		t.Fatalf("bob has %d followers", n)
	}
}
