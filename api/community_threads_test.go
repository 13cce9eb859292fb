package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

type threadOut struct {
	Post    discussion
	Replies []struct {
		discussion
		InReplyTo string `json:"in_reply_to"`
	}
}

func getThread(t *testing.T, inst *apptest.Instance, base, id string) threadOut {
	t.Helper()
	r := call(t, inst, "GET", base+"/discussions/"+id, "", nil)
	expect(t, r, http.StatusOK)
	var out threadOut
	r.json(t, &out)
	return out
}

// TestCommunityThreadAPI: replies by in_reply_to (a note id or URI), the thread
// view, and the refusals (unknown parent, locked thread).
func TestCommunityThreadAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	base := "/api/v1/communities/seeds"
	newCommunity(t, inst, fern, "seeds", map[string]any{"posting_policy": "open"})

	r := call(t, inst, "POST", base+"/discussions", fern, map[string]any{"content": "Swap day\n\nBring jars."})
	expect(t, r, http.StatusCreated)
	var post discussion
	r.json(t, &post)
	th := getThread(t, inst, base, post.ID)
	if th.Post.ID != post.ID || th.Post.Title != "Swap day" || th.Replies == nil || len(th.Replies) != 0 {
		t.Fatalf("thread %+v", th)
	}

	r = call(t, inst, "POST", base+"/discussions", milo, map[string]any{"content": "I bring *beans*", "in_reply_to": post.ID})
	expect(t, r, http.StatusCreated)
	var reply discussion
	r.json(t, &reply)
	r = call(t, inst, "POST", base+"/discussions", fern, map[string]any{"content": "Thanks", "in_reply_to": reply.URI})
	expect(t, r, http.StatusCreated)
	expect(t, call(t, inst, "POST", base+"/discussions", milo, map[string]any{"content": "x", "in_reply_to": "nothing"}), http.StatusNotFound)

	th = getThread(t, inst, base, post.ID)
	if len(th.Replies) != 2 || th.Replies[0].ID != reply.ID || th.Replies[0].InReplyTo != post.URI ||
		!strings.Contains(th.Replies[0].Content, "<em>beans</em>") || th.Replies[0].Author.Handle != "@milo@"+inst.Host ||
		th.Replies[1].InReplyTo != reply.URI || th.Replies[1].Content == "" {
		t.Fatalf("thread %+v", th)
	}
	// Replies are not top-level posts, nor threads of their own.
	if posts := getDiscussions(t, inst, base); len(posts) != 1 {
		t.Fatalf("discussions %+v", posts)
	}
	expect(t, call(t, inst, "GET", base+"/discussions/"+reply.ID, "", nil), http.StatusNotFound)
	expect(t, call(t, inst, "GET", base+"/discussions/nothing", "", nil), http.StatusNotFound)

	// A locked thread refuses replies; nothing is stored.
	expect(t, call(t, inst, "POST", base+"/discussions/"+post.ID+"/moderate", fern, map[string]any{"action": "lock"}), http.StatusNoContent)
	expect(t, call(t, inst, "POST", base+"/discussions", milo, map[string]any{"content": "late", "in_reply_to": post.URI}), http.StatusForbidden)
	if th := getThread(t, inst, base, post.ID); !th.Post.Locked || len(th.Replies) != 2 {
		t.Fatalf("after a refused reply %+v", th)
	}
}

// TestCommunityThreadRemoteReply: bob on B follows the community on A and replies
// to a post through B's API, mentioning the community; the reply shows in A's
// thread, in the API and on the thread page.
func TestCommunityThreadRemoteReply(t *testing.T) {
	a, b := start(t), start(t)
	fern := tokenFor(t, a, "fern", "member")
	bob := tokenFor(t, b, "bob", "member")
	base := "/api/v1/communities/seeds"
	newCommunity(t, a, fern, "seeds", map[string]any{"posting_policy": "open"})
	r := call(t, a, "POST", base+"/discussions", fern, map[string]any{"content": "Swap day\n\nBring jars."})
	expect(t, r, http.StatusCreated)
	var post discussion
	r.json(t, &post)

	r = call(t, b, "POST", "/api/v1/follows", bob, map[string]string{"target": a.Handle("seeds")})
	expect(t, r, http.StatusCreated)
	eventually(t, "A's Accept of bob's follow", func() bool {
		l := getList[followOut](t, b, "/api/v1/follows", bob)
		return len(l) == 1 && l[0].State == models.FollowAccepted
	})

	r = call(t, b, "POST", "/api/v1/notes", bob, map[string]any{
		"content": a.Handle("seeds") + " I can bring *jam jars*", "visibility": "public", "in_reply_to": post.URI})
	expect(t, r, http.StatusCreated)
	var n noteOut
	r.json(t, &n)
	eventually(t, "bob's reply in A's thread", func() bool {
		th := getThread(t, a, base, post.ID)
		return len(th.Replies) == 1 && th.Replies[0].URI == n.URI && th.Replies[0].Author.Handle == b.Handle("bob")
	})
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/c/seeds/posts/"+post.ID, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<em>jam jars</em>") || !strings.Contains(string(body), b.Handle("bob")) {
		t.Fatalf("thread page %d:\n%s", resp.StatusCode, body)
	}
}
