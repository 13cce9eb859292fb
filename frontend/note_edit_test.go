package frontend_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEditNotePage: the author edits a note from the timeline's Edit link; the
// form is prefilled with the Markdown source, the note then shows as edited.
// Others, a missing token and empty text change nothing.
func TestEditNotePage(t *testing.T) {
	inst, ada := startWithAdmin(t)
	p := ada.post("/home", "/home", url.Values{"content": {"Meeting at *noon*"}, "visibility": {"public"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("post: %d", p.Status)
	}
	home := ada.get("/home")
	m := regexp.MustCompile(`href="/notes/([^/"]+)/edit"`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatal("no Edit link on an own note")
	}
	id := m[1]
	if strings.Contains(home.Body, "edited") {
		t.Fatal("a fresh note shows as edited")
	}
	edit := "/notes/" + id + "/edit"
	want(t, ada.get(edit), http.StatusOK, "Meeting at *noon*", `name="content"`, `action="`+edit+`"`)

	otto := newBrowser(t, inst)
	otto.signup("otto", nil)
	for _, tc := range []struct {
		name   string
		b      *browser
		from   string
		vals   url.Values
		status int
	}{
		{"another user's form", otto, "", nil, http.StatusNotFound},
		{"another user posts", otto, "/home", url.Values{"content": {"hijacked"}}, http.StatusNotFound},
		{"bad token", ada, "", url.Values{"content": {"forged"}, "csrf": {"bad"}}, http.StatusForbidden},
		{"empty text", ada, edit, url.Values{"content": {"  "}}, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got page
			if tc.vals == nil {
				got = tc.b.get(edit)
			} else {
				got = tc.b.post(tc.from, edit, tc.vals)
			}
			want(t, got, tc.status)
			if h := ada.get("/home"); !strings.Contains(h.Body, "<em>noon</em>") {
				t.Fatal("the note changed")
			}
		})
	}

	p = ada.post(edit, edit, url.Values{"content": {"Meeting at *one*"}})
	if p.Status != http.StatusSeeOther || p.Location != "/notes/"+id {
		t.Fatalf("edit: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	want(t, ada.get("/home"), http.StatusOK, "<em>one</em>", "edited")
}

// TestEditFromThreadPage: the author of a community post and of a reply finds
// an Edit link on the thread page (nobody else does); after the edit the
// browser lands back on the thread, which shows the new text as edited.
func TestEditFromThreadPage(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, bob.post("/c/seeds", "/c/seeds/join", url.Values{}), http.StatusSeeOther)
	want(t, bob.post("/c/seeds/post", "/c/seeds/post", url.Values{"content": {"Swap day on Saturday"}}), http.StatusSeeOther)
	id := regexpFind(t, bob.get("/c/seeds").Body, `href="/c/seeds/posts/([^"/]+)"`)
	thread := "/c/seeds/posts/" + id
	want(t, ada.post(thread, thread+"/reply", url.Values{"content": {"I will bring beans."}}), http.StatusSeeOther)

	edit := "/notes/" + id + "/edit"
	if !strings.Contains(bob.get(thread).Body, `href="`+edit+`"`) {
		t.Fatal("no Edit link for the post's author")
	}
	page := ada.get(thread).Body
	if strings.Contains(page, `href="`+edit+`"`) || strings.Count(page, `/edit">Edit</a>`) != 1 {
		t.Fatal("ada sees an Edit link on bob's post, or none on her reply")
	}
	p := bob.post(edit, edit, url.Values{"content": {"Swap day on Sunday"}})
	if p.Status != http.StatusSeeOther || p.Location != "/notes/"+id {
		t.Fatalf("edit: %d %q", p.Status, p.Location)
	}
	// /notes/{id} sends browsers on to the thread.
	if next := bob.get(p.Location); next.Status != http.StatusSeeOther || next.Location != thread {
		t.Fatalf("note URL: %d %q", next.Status, next.Location)
	}
	want(t, bob.get(thread), http.StatusOK, "Swap day on Sunday", `class="edited"`)
}
