package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityThread: a post, its thread page, replies (and their refusals: empty,
// locked, posting policy, no form token), moderation from the thread page, and
// /notes/:id sending browsers to the thread.
func TestCommunityThread(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)

	want(t, bob.post("/c/seeds/post", "/c/seeds/post", url.Values{"content": {"Swap day on Saturday\n\nBring *jars*."}}), http.StatusSeeOther)
	id := regexpFind(t, bob.get("/c/seeds").Body, `href="/c/seeds/posts/([^"/]+)"`)
	thread := "/c/seeds/posts/" + id
	post, err := inst.App.Store.NoteByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	replies := func() int {
		t.Helper()
		l, err := inst.App.Store.ListReplies(ctx, post.URI, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	anon := newBrowser(t, inst)
	want(t, anon.get(thread), http.StatusOK, "<h1", "Swap day on Saturday", "<em>jars</em>", "@bob@"+inst.Host, "No replies yet", "Log in</a> to reply")
	// The title is the first line: shown as the heading, not again atop the body.
	if body := anon.get(thread).Body; strings.Count(body, "Swap day on Saturday") != 2 || strings.Contains(body, "<p>Swap day on Saturday</p>") {
		t.Fatalf("the title is repeated in the body (or missing from <title>/<h1>):\n%s", body)
	}
	if strings.Contains(anon.get(thread).Body, `action="`+thread+`/reply"`) {
		t.Fatal("reply form shown to a visitor")
	}
	want(t, anon.get("/c/seeds/posts/nothing"), http.StatusNotFound)

	// Replies: empty (422), then one that is shown; replies to it nest under it.
	want(t, ada.post(thread, thread+"/reply", url.Values{"content": {"  "}}), http.StatusUnprocessableEntity, "content is required", "Swap day on Saturday")
	if n := replies(); n != 0 {
		t.Fatalf("%d replies stored after an empty one", n)
	}
	p := ada.post(thread, thread+"/reply", url.Values{"content": {"I will bring *beans*."}})
	if p.Status != http.StatusSeeOther || p.Location != thread+"?done=replied#replies" {
		t.Fatalf("reply: %d %q", p.Status, p.Location)
	}
	want(t, bob.get(thread+"?done=replied"), http.StatusOK, "Your reply was published", "1 reply", "I will bring <em>beans</em>.", "@ada@"+inst.Host)
	want(t, bob.get("/c/seeds"), http.StatusOK, "1 reply")
	l, _ := inst.App.Store.ListReplies(ctx, post.URI, 10)
	if len(l) != 1 || l[0].AudienceURI != post.AudienceURI {
		t.Fatalf("replies %+v", l)
	}
	bobActor, _ := inst.App.Svc.Accounts.ActorOf(ctx, user(t, inst, "bob"))
	if _, err := inst.App.Svc.Social.PostNote(ctx, bobActor, service.NoteInput{Content: "Thanks!", InReplyTo: l[0].URI, Community: "seeds"}); err != nil {
		t.Fatal(err)
	}
	thanks, err := inst.App.Store.ListReplies(ctx, l[0].URI, 10)
	if err != nil || len(thanks) != 1 {
		t.Fatalf("bob's reply: %v %v", thanks, err)
	}
	adaActor, _ := inst.App.Svc.Accounts.ActorOf(ctx, user(t, inst, "ada"))
	if _, err := inst.App.Svc.Social.PostNote(ctx, adaActor, service.NoteInput{Content: "You are welcome", InReplyTo: thanks[0].URI, Community: "seeds"}); err != nil {
		t.Fatal(err)
	}
	// Two likes of ada's reply, one of the post.
	for i, obj := range []string{l[0].URI, l[0].URI, post.URI} {
		liker := []string{adaActor.ID, bobActor.ID, adaActor.ID}[i]
		if err := inst.App.Store.PutLike(ctx, &models.Like{ID: models.NewID(), URI: inst.URL + "/likes/" + models.NewID(), ActorID: liker, ObjectURI: obj}); err != nil {
			t.Fatal(err)
		}
	}
	// Replies to ada's reply nest under it; the reply to bob's reply says whom it answers.
	page := anon.get(thread)
	want(t, page, http.StatusOK, "3 replies", `aria-label="Replies to ada"`, "Thanks!", "You are welcome",
		"in reply to <a href=\"/@bob\">bob</a>", `<span class="likes">2 likes</span>`, `<span class="likes">1 like</span>`)
	nest, thanksAt, welcomeAt := strings.Index(page.Body, `aria-label="Replies to ada"`), strings.Index(page.Body, "Thanks!"), strings.Index(page.Body, "You are welcome")
	end := nest + strings.Index(page.Body[nest:], "</ol>")
	if !(nest < thanksAt && thanksAt < welcomeAt && welcomeAt < end) {
		t.Fatalf("replies not nested: list at %d..%d, Thanks! at %d, welcome at %d", nest, end, thanksAt, welcomeAt)
	}

	// /notes/:id sends browsers to the thread (a reply to its place in it).
	if p := anon.get("/notes/" + id); p.Status != http.StatusSeeOther || p.Location != thread {
		t.Fatalf("/notes/%s: %d %q", id, p.Status, p.Location)
	}
	if p := anon.get("/notes/" + l[0].ID); p.Status != http.StatusSeeOther || p.Location != thread+"#note-"+l[0].ID {
		t.Fatalf("/notes/%s: %d %q", l[0].ID, p.Status, p.Location)
	}

	// No form token: 403, nothing stored.
	want(t, ada.post("", thread+"/reply", url.Values{"content": {"no token"}}), http.StatusForbidden)
	if n := replies(); n != 1 {
		t.Fatalf("%d direct replies after a tokenless one", n)
	}

	// Maintainers lock from the thread page; a reply is then refused with 403 on the page.
	want(t, bob.get(thread), http.StatusOK)
	if strings.Contains(bob.get(thread).Body, "/moderate") {
		t.Fatal("moderation offered to a member")
	}
	p = ada.post(thread, thread+"/moderate", url.Values{"action": {"lock"}, "back": {"thread"}})
	if p.Status != http.StatusSeeOther || p.Location != thread+"?done=locked" {
		t.Fatalf("lock: %d %q", p.Status, p.Location)
	}
	want(t, bob.get(thread), http.StatusOK, "Locked", "This thread is locked")
	want(t, bob.post("/c/seeds", thread+"/reply", url.Values{"content": {"too late"}}), http.StatusForbidden, "this thread is locked", "Swap day on Saturday")
	if n := replies(); n != 1 {
		t.Fatalf("%d direct replies after a locked one", n)
	}
	want(t, ada.post(thread, thread+"/moderate", url.Values{"action": {"unlock"}, "back": {"thread"}}), http.StatusSeeOther)
	want(t, bob.get(thread), http.StatusOK, `action="`+thread+`/reply"`)

	// Posting policy: members only; a visitor who has not joined is refused on the page.
	v := communityForm("club", "PPL")
	v.Set("posting_policy", "members")
	want(t, ada.post("/communities/new", "/communities", v), http.StatusSeeOther)
	want(t, ada.post("/c/club/post", "/c/club/post", url.Values{"content": {"Members meeting"}}), http.StatusSeeOther)
	cid := regexpFind(t, ada.get("/c/club").Body, `href="/c/club/posts/([^"/]+)"`)
	cthread := "/c/club/posts/" + cid
	if strings.Contains(bob.get(cthread).Body, "/reply") {
		t.Fatal("reply form shown to a non-member of a members-only community")
	}
	want(t, bob.post("/c/club", cthread+"/reply", url.Values{"content": {"let me in"}}), http.StatusForbidden, "only members may post", "Members meeting")
	cpost, _ := inst.App.Store.NoteByID(ctx, cid)
	if l, _ := inst.App.Store.ListReplies(ctx, cpost.URI, 10); len(l) != 0 {
		t.Fatalf("refused reply stored: %+v", l)
	}

	// Removing from the thread page goes back to the community.
	// It asks first, for a reason that goes to the author.
	want(t, ada.post(thread, thread+"/moderate", url.Values{"action": {"remove"}, "back": {"thread"}}), http.StatusOK,
		"Remove this post?", `name="reason"`, `name="back" value="thread"`)
	want(t, ada.post(thread, thread+"/moderate", url.Values{"action": {"remove"}, "back": {"thread"}, "confirmed": {"yes"}}), http.StatusOK,
		"Give a reason")
	p = ada.post(thread, thread+"/moderate", url.Values{"action": {"remove"}, "back": {"thread"}, "confirmed": {"yes"}, "reason": {"off topic"}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/c/seeds/discussions?done=removed") {
		t.Fatalf("remove: %d %q", p.Status, p.Location)
	}
	want(t, anon.get(thread), http.StatusNotFound)
}
