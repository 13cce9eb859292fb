package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
)

func TestSocialValidation(t *testing.T) {
	a, b := start(t), start(t)
	ada := tokenFor(t, a, "ada", "member")
	cid := tokenFor(t, a, "cid", "member")
	tokenFor(t, b, "bob", "member")

	// A note of cid and a follow of cid, for the ownership cases.
	r := call(t, a, "POST", "/api/v1/notes", cid, map[string]string{"content": "mine"})
	expect(t, r, http.StatusCreated)
	var note noteOut
	r.json(t, &note)
	r = call(t, a, "POST", "/api/v1/follows", cid, map[string]string{"target": "ada"})
	expect(t, r, http.StatusCreated)
	var cidFollow followOut
	r.json(t, &cidFollow)
	if cidFollow.State != models.FollowAccepted || cidFollow.Target.Handle != a.Handle("ada") || !cidFollow.Target.Local {
		t.Fatalf("local follow %+v", cidFollow)
	}

	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"follow without token", "POST", "/api/v1/follows", "", map[string]string{"target": "cid"}, http.StatusUnauthorized},
		{"follow with bad token", "POST", "/api/v1/follows", "nope", map[string]string{"target": "cid"}, http.StatusUnauthorized},
		{"follow empty target", "POST", "/api/v1/follows", ada, map[string]string{"target": " "}, http.StatusUnprocessableEntity},
		{"follow self by name", "POST", "/api/v1/follows", ada, map[string]string{"target": "ada"}, http.StatusUnprocessableEntity},
		{"follow self by handle", "POST", "/api/v1/follows", ada, map[string]string{"target": a.Handle("ada")}, http.StatusUnprocessableEntity},
		{"follow self by URL", "POST", "/api/v1/follows", ada, map[string]string{"target": a.ActorURL("ada")}, http.StatusUnprocessableEntity},
		{"follow unknown local", "POST", "/api/v1/follows", ada, map[string]string{"target": "ghost"}, http.StatusNotFound},
		{"follow unknown remote", "POST", "/api/v1/follows", ada, map[string]string{"target": "ghost@" + b.Host}, http.StatusNotFound},
		{"follow unknown field", "POST", "/api/v1/follows", ada, map[string]string{"who": "cid"}, http.StatusBadRequest},
		{"unfollow unknown", "DELETE", "/api/v1/follows/nope", ada, nil, http.StatusNotFound},
		{"unfollow someone else's", "DELETE", "/api/v1/follows/" + cidFollow.ID, ada, nil, http.StatusNotFound},
		{"follows bad limit", "GET", "/api/v1/follows?limit=0", ada, nil, http.StatusBadRequest},
		{"followers without token", "GET", "/api/v1/followers", "", nil, http.StatusUnauthorized},
		{"authorize unknown", "POST", "/api/v1/follow_requests/nope/authorize", ada, nil, http.StatusNotFound},
		{"reject unknown", "POST", "/api/v1/follow_requests/nope/reject", ada, nil, http.StatusNotFound},
		{"note without token", "POST", "/api/v1/notes", "", map[string]string{"content": "hi"}, http.StatusUnauthorized},
		{"note empty", "POST", "/api/v1/notes", ada, map[string]string{"content": ""}, http.StatusUnprocessableEntity},
		{"note blank", "POST", "/api/v1/notes", ada, map[string]string{"content": " \n "}, http.StatusUnprocessableEntity},
		{"note no content", "POST", "/api/v1/notes", ada, map[string]string{"visibility": "public"}, http.StatusUnprocessableEntity},
		{"note bad visibility", "POST", "/api/v1/notes", ada, map[string]string{"content": "hi", "visibility": "secret"}, http.StatusUnprocessableEntity},
		{"direct note without mention", "POST", "/api/v1/notes", ada, map[string]string{"content": "hi", "visibility": "direct"}, http.StatusUnprocessableEntity},
		{"note too long", "POST", "/api/v1/notes", ada, map[string]string{"content": strings.Repeat("a", 5001)}, http.StatusUnprocessableEntity},
		{"note sensitive not bool", "POST", "/api/v1/notes", ada, `{"content":"hi","sensitive":"yes"}`, http.StatusBadRequest},
		{"delete note unknown", "DELETE", "/api/v1/notes/nope", ada, nil, http.StatusNotFound},
		{"delete note of someone else", "DELETE", "/api/v1/notes/" + note.ID, ada, nil, http.StatusForbidden},
		{"delete note without token", "DELETE", "/api/v1/notes/" + note.ID, "", nil, http.StatusUnauthorized},
		{"timeline without token", "GET", "/api/v1/timeline", "", nil, http.StatusUnauthorized},
		{"timeline limit 0", "GET", "/api/v1/timeline?limit=0", ada, nil, http.StatusBadRequest},
		{"timeline limit 101", "GET", "/api/v1/timeline?limit=101", ada, nil, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, a, tc.method, tc.path, tc.token, tc.body)
			expect(t, r, tc.status)
			r.errorMessage(t)
		})
	}
	// Nothing of the refused requests was stored.
	if l := getList[followOut](t, a, "/api/v1/follows", ada); len(l) != 0 {
		t.Fatalf("ada follows %+v", l)
	}
	if l := getList[entryOut](t, a, "/api/v1/timeline", ada); len(l) != 0 {
		t.Fatalf("ada's timeline %+v", l)
	}
}

func TestFollowRequestsAndTimelinePaging(t *testing.T) {
	inst := start(t)
	carol := tokenFor(t, inst, "carol", "member")
	dave := tokenFor(t, inst, "dave", "member")
	erin := tokenFor(t, inst, "erin", "member")
	expect(t, call(t, inst, "PATCH", "/api/v1/accounts/me", carol, map[string]bool{"manually_approves_followers": true}), http.StatusOK)

	follow := func(token, target string) followOut {
		t.Helper()
		r := call(t, inst, "POST", "/api/v1/follows", token, map[string]string{"target": target})
		expect(t, r, http.StatusCreated)
		var f followOut
		r.json(t, &f)
		return f
	}
	fd := follow(dave, "@carol@"+inst.Host)
	fe := follow(erin, "carol")
	if fd.State != models.FollowPending || fe.State != models.FollowPending {
		t.Fatalf("states %s, %s", fd.State, fe.State)
	}
	if l := getList[followOut](t, inst, "/api/v1/follows", dave); len(l) != 1 || l[0].State != models.FollowPending {
		t.Fatalf("dave's follows %+v", l)
	}
	reqs := getList[followOut](t, inst, "/api/v1/follow_requests", carol)
	if len(reqs) != 2 || reqs[0].ID != fe.ID || reqs[0].Follower.Handle != "@erin@"+inst.Host || reqs[1].ID != fd.ID {
		t.Fatalf("requests %+v", reqs)
	}
	// Only carol answers her requests.
	expect(t, call(t, inst, "POST", "/api/v1/follow_requests/"+fd.ID+"/authorize", dave, nil), http.StatusNotFound)
	expect(t, call(t, inst, "POST", "/api/v1/follow_requests/"+fd.ID+"/authorize", carol, nil), http.StatusNoContent)
	expect(t, call(t, inst, "POST", "/api/v1/follow_requests/"+fd.ID+"/reject", carol, nil), http.StatusConflict)
	expect(t, call(t, inst, "POST", "/api/v1/follow_requests/"+fe.ID+"/reject", carol, nil), http.StatusNoContent)

	if l := getList[followOut](t, inst, "/api/v1/follow_requests", carol); len(l) != 0 {
		t.Fatalf("requests left %+v", l)
	}
	if l := getList[followOut](t, inst, "/api/v1/followers", carol); len(l) != 1 || l[0].Follower.Username != "dave" {
		t.Fatalf("carol's followers %+v", l)
	}
	if l := getList[followOut](t, inst, "/api/v1/follows", erin); len(l) != 0 {
		t.Fatalf("erin's follows after reject %+v", l)
	}

	// Three notes of carol reach dave's timeline; pages of two go back in time.
	var ids []string
	for _, s := range []string{"one", "two", "three"} {
		r := call(t, inst, "POST", "/api/v1/notes", carol, map[string]any{"content": s, "visibility": "followers",
			"summary": "cw " + s})
		expect(t, r, http.StatusCreated)
		var n noteOut
		r.json(t, &n)
		if n.Visibility != "followers" || !n.Sensitive || n.Summary != "cw "+s {
			t.Fatalf("note %s", r.Body)
		}
		ids = append(ids, n.ID)
	}
	page := getList[entryOut](t, inst, "/api/v1/timeline?limit=2", dave)
	if len(page) != 2 || page[0].Note.ID != ids[2] || page[1].Note.ID != ids[1] || page[0].Author.Username != "carol" {
		t.Fatalf("first page %+v", page)
	}
	page = getList[entryOut](t, inst, "/api/v1/timeline?limit=2&max_id="+page[1].ID, dave)
	if len(page) != 1 || page[0].Note.ID != ids[0] {
		t.Fatalf("second page %+v", page)
	}
	if l := getList[entryOut](t, inst, "/api/v1/timeline", erin); len(l) != 0 {
		t.Fatalf("erin sees %+v", l)
	}

	// Unfollowing is immediate locally.
	expect(t, call(t, inst, "DELETE", "/api/v1/follows/"+fd.ID, dave, nil), http.StatusNoContent)
	if l := getList[followOut](t, inst, "/api/v1/followers", carol); len(l) != 0 {
		t.Fatalf("carol's followers %+v", l)
	}
}
