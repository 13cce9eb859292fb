package api_test

import (
	"bytes"
	"net/http"
	"testing"
)

// TestContributionRevisionsAPI: request changes, revise (JSON, then multipart
// with a file, dropping none), list the revisions, comments by revision,
// reject, reopen by revising, withdraw; each refusal by role and state.
func TestContributionRevisionsAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	newCommunity(t, inst, fern, "seeds", map[string]any{"offer_policy": "open"})
	r := call(t, inst, "POST", "/api/v1/communities/seeds/contributions", milo, map[string]any{"title": "Tomatoes", "body": "v1", "kind": "knowledge"})
	expect(t, r, http.StatusCreated)
	var co contribution
	r.json(t, &co)
	base := "/api/v1/contributions/" + co.ID

	type state struct {
		State    string
		Revision int
		Title    string
		EditedAt *string `json:"edited_at"`
	}
	steps := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
		want   *state
	}{
		{"anonymous revision", "POST", "/revisions", "", map[string]any{"title": "x"}, http.StatusUnauthorized, nil},
		{"the maintainer revises", "POST", "/revisions", fern, map[string]any{"title": "x"}, http.StatusForbidden, nil},
		{"unknown field", "POST", "/revisions", milo, map[string]any{"title": "x", "kind": "code"}, http.StatusBadRequest, nil},
		{"no title", "POST", "/revisions", milo, map[string]any{"title": ""}, http.StatusUnprocessableEntity, nil},
		{"changes requested", "POST", "/comments", fern, map[string]any{"body": "add varieties", "request_changes": true}, http.StatusCreated, nil},
		{"revision 2", "POST", "/revisions", milo, map[string]any{"title": "Tomato varieties", "body": "v2", "links": []string{"https://example.org/t"}},
			http.StatusOK, &state{State: "open", Revision: 2, Title: "Tomato varieties"}},
		{"rejected", "POST", "/reject", fern, map[string]any{"reason": "not yet"}, http.StatusOK, nil},
		{"reopened by revision 3", "POST", "/revisions", milo, map[string]any{"title": "Tomato varieties, sorted", "body": "v3"},
			http.StatusOK, &state{State: "open", Revision: 3, Title: "Tomato varieties, sorted"}},
		{"the maintainer withdraws", "POST", "/withdraw", fern, nil, http.StatusForbidden, nil},
		{"withdrawn", "POST", "/withdraw", milo, nil, http.StatusOK, &state{State: "withdrawn", Revision: 3, Title: "Tomato varieties, sorted"}},
		{"revision after withdrawal", "POST", "/revisions", milo, map[string]any{"title": "x"}, http.StatusConflict, nil},
		{"a comment after it", "POST", "/comments", fern, map[string]any{"body": "a pity"}, http.StatusCreated, nil},
	}
	for _, s := range steps {
		r := call(t, inst, s.method, base+s.path, s.token, s.body)
		expect(t, r, s.status)
		if s.want != nil {
			var got state
			r.json(t, &got)
			if got.State != s.want.State || got.Revision != s.want.Revision || got.Title != s.want.Title || got.EditedAt == nil {
				t.Fatalf("%s: %s", s.name, r.Body)
			}
		}
	}
	r = call(t, inst, "GET", base+"/revisions", "", nil)
	expect(t, r, http.StatusOK)
	var revs []struct {
		Number int
		Title  string
		Body   string
		URLs   []string
		Author *actorRef
	}
	r.json(t, &revs)
	if len(revs) != 3 || revs[0].Body != "v1" || revs[1].URLs[0] != "https://example.org/t" || revs[2].Number != 3 ||
		revs[2].Author == nil || revs[2].Author.Handle != "@milo@"+inst.Host {
		t.Fatalf("revisions %s", r.Body)
	}
	r = call(t, inst, "GET", base, "", nil)
	var shown struct {
		Comments []struct {
			Body     string
			Revision int
		}
	}
	r.json(t, &shown)
	if len(shown.Comments) != 2 || shown.Comments[0].Revision != 1 || shown.Comments[1].Revision != 3 {
		t.Fatalf("comments %s", r.Body)
	}
	expect(t, call(t, inst, "GET", "/api/v1/contributions/nothing/revisions", "", nil), http.StatusNotFound)

	// Multipart: a new revision with a file, then one that drops it.
	r = call(t, inst, "POST", "/api/v1/communities/seeds/contributions", milo, map[string]any{"title": "Beans", "kind": "knowledge"})
	expect(t, r, http.StatusCreated)
	r.json(t, &co)
	ct, body := offerMultipart(t, map[string][]string{"title": {"Beans, with notes"}, "links": {"https://example.org/b"}},
		[]offerFile{{"notes.md", "text/markdown", []byte("# Notes\n")}})
	req, _ := http.NewRequest("POST", inst.URL+"/api/v1/contributions/"+co.ID+"/revisions", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+milo)
	r = send(t, inst, req)
	expect(t, r, http.StatusOK)
	var withFile struct {
		Revision    int
		Attachments []struct{ URL string }
	}
	r.json(t, &withFile)
	if withFile.Revision != 2 || len(withFile.Attachments) != 1 {
		t.Fatalf("multipart revision %s", r.Body)
	}
	r = call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/revisions", milo, map[string]any{"title": "Beans", "remove_files": []string{withFile.Attachments[0].URL}})
	expect(t, r, http.StatusOK)
	r.json(t, &withFile)
	if withFile.Revision != 3 || len(withFile.Attachments) != 0 {
		t.Fatalf("file not dropped: %s", r.Body)
	}
}
