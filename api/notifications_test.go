package api_test

import (
	"net/http"
	"strings"
	"testing"
)

type notificationOut struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	URL       string `json:"url"`
	Actor     *struct{ Handle, URI string }
	Community *struct{ Handle, URI string }
	Detail    string  `json:"detail"`
	ReadAt    *string `json:"read_at"`
}

func unread(t *testing.T, inst interface{}, get func() response) int64 {
	t.Helper()
	r := get()
	expect(t, r, http.StatusOK)
	var out struct{ Count int64 }
	r.json(t, &out)
	return out.Count
}

// TestNotificationsAPI: list (filters, paging), unread count, mark read, mark
// all read, the settings, the validation.
func TestNotificationsAPI(t *testing.T) {
	inst := start(t)
	ada := tokenFor(t, inst, "ada", "member")
	bob := tokenFor(t, inst, "bob", "member")
	expect(t, call(t, inst, "POST", "/api/v1/follows", bob, map[string]string{"target": "ada"}), http.StatusCreated)
	expect(t, call(t, inst, "POST", "/api/v1/notes", bob, map[string]string{"content": "hi @ada"}), http.StatusCreated)
	expect(t, call(t, inst, "POST", "/api/v1/notes", bob, map[string]string{"content": "again @ada"}), http.StatusCreated)
	count := func(tok string) int64 {
		return unread(t, inst, func() response { return call(t, inst, "GET", "/api/v1/notifications/unread_count", tok, nil) })
	}
	if c := count(ada); c != 3 {
		t.Fatalf("unread %d, want 3", c)
	}
	all := getList[notificationOut](t, inst, "/api/v1/notifications", ada)
	if len(all) != 3 || all[0].Kind != "mention" || all[2].Kind != "follow" || all[2].Actor == nil ||
		all[2].Actor.Handle != inst.Handle("bob") || !strings.Contains(all[0].Text, "bob mentioned you") {
		t.Fatalf("list %+v", all)
	}
	if l := getList[notificationOut](t, inst, "/api/v1/notifications?kind=follow", ada); len(l) != 1 {
		t.Fatalf("kind=follow: %d", len(l))
	}
	if l := getList[notificationOut](t, inst, "/api/v1/notifications?kind=follow,mention&limit=2", ada); len(l) != 2 {
		t.Fatalf("two kinds, limit 2: %d", len(l))
	}
	if l := getList[notificationOut](t, inst, "/api/v1/notifications?max_id="+all[1].ID, ada); len(l) != 1 || l[0].ID != all[2].ID {
		t.Fatalf("next page %+v", l)
	}
	expect(t, call(t, inst, "POST", "/api/v1/notifications/"+all[0].ID+"/read", ada, nil), http.StatusNoContent)
	expect(t, call(t, inst, "POST", "/api/v1/notifications/"+all[0].ID+"/read", ada, nil), http.StatusNoContent)
	if l := getList[notificationOut](t, inst, "/api/v1/notifications?unread=true", ada); len(l) != 2 {
		t.Fatalf("unread list %d, want 2", len(l))
	}
	if c := count(ada); c != 2 {
		t.Fatalf("unread %d, want 2", c)
	}
	r := call(t, inst, "POST", "/api/v1/notifications/read_all", ada, nil)
	expect(t, r, http.StatusOK)
	var marked struct{ Marked int64 }
	r.json(t, &marked)
	if marked.Marked != 2 || count(ada) != 0 {
		t.Fatalf("read all marked %d", marked.Marked)
	}

	// Settings: no SMTP here, so e-mail is off but the choices are kept.
	r = call(t, inst, "GET", "/api/v1/notifications/settings", ada, nil)
	expect(t, r, http.StatusOK)
	var set struct {
		EmailKinds   []string `json:"email_kinds"`
		Digest       bool
		EmailEnabled bool `json:"email_enabled"`
		Kinds        []string
	}
	r.json(t, &set)
	if set.EmailEnabled || len(set.EmailKinds) != 0 || len(set.Kinds) < 14 {
		t.Fatalf("settings %s", r.Body)
	}
	r = call(t, inst, "PUT", "/api/v1/notifications/settings", ada, map[string]any{"email_kinds": []string{"mention", "membership_request"}, "digest": true})
	expect(t, r, http.StatusOK)
	r.json(t, &set)
	if len(set.EmailKinds) != 2 || !set.Digest {
		t.Fatalf("stored %s", r.Body)
	}

	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"list without token", "GET", "/api/v1/notifications", "", nil, http.StatusUnauthorized},
		{"count without token", "GET", "/api/v1/notifications/unread_count", "", nil, http.StatusUnauthorized},
		{"unknown kind", "GET", "/api/v1/notifications?kind=nope", ada, nil, http.StatusUnprocessableEntity},
		{"bad unread", "GET", "/api/v1/notifications?unread=yes", ada, nil, http.StatusBadRequest},
		{"bad limit", "GET", "/api/v1/notifications?limit=500", ada, nil, http.StatusBadRequest},
		{"read someone else's", "POST", "/api/v1/notifications/" + all[1].ID + "/read", bob, nil, http.StatusNotFound},
		{"read unknown", "POST", "/api/v1/notifications/nope/read", ada, nil, http.StatusNotFound},
		{"read all without token", "POST", "/api/v1/notifications/read_all", "", nil, http.StatusUnauthorized},
		{"settings unknown kind", "PUT", "/api/v1/notifications/settings", ada, map[string]any{"email_kinds": []string{"spam"}}, http.StatusUnprocessableEntity},
		{"settings unknown field", "PUT", "/api/v1/notifications/settings", ada, map[string]any{"sms": true}, http.StatusBadRequest},
		{"unsubscribe forged", "POST", "/api/v1/notifications/unsubscribe?token=YWJj.ZGVm", "", nil, http.StatusNotFound},
		{"unsubscribe without token", "POST", "/api/v1/notifications/unsubscribe", "", nil, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, inst, c.method, c.path, c.token, c.body)
			expect(t, r, c.status)
			r.errorMessage(t)
		})
	}
	if c := count(bob); c != 0 {
		t.Fatalf("bob has %d notifications of his own actions", c)
	}
}

// TestRemoteJoinRequestNotifiesSteward: a user of another instance asks to
// join a community here (approval); its steward is notified with the remote
// handle, decides, and the remote user is notified of the decision on their
// own instance.
func TestRemoteJoinRequestNotifiesSteward(t *testing.T) {
	a, c := start(t), start(t)
	maria := userWithToken(t, a, "maria", "member")
	carl := userWithToken(t, c, "carl", "member")
	newCommunity(t, a, maria, "garden", map[string]any{"membership_policy": "approval"})
	expect(t, call(t, c, "POST", "/api/v1/communities/@garden@"+a.Host+"/join", carl, nil), http.StatusOK)
	var got []notificationOut
	eventually(t, "the steward is notified of the join request", func() bool {
		got = getList[notificationOut](t, a, "/api/v1/notifications?kind=membership_request", maria)
		return len(got) == 1
	})
	n := got[0]
	if n.Actor == nil || n.Actor.Handle != c.Handle("carl") || n.Community == nil || n.Community.Handle != a.Handle("garden") ||
		!strings.Contains(n.Text, "asked to join The garden") || n.URL != a.URL+"/c/garden/members#requests" {
		t.Fatalf("notification %+v", n)
	}
	r := call(t, a, "GET", "/api/v1/communities/garden/members?state=pending", maria, nil)
	expect(t, r, http.StatusOK)
	var pending []struct{ ID string }
	r.json(t, &pending)
	if len(pending) != 1 {
		t.Fatalf("pending %s", r.Body)
	}
	expect(t, call(t, a, "POST", "/api/v1/communities/garden/members/"+pending[0].ID+"/approve", maria, nil), http.StatusOK)
	eventually(t, "carl is notified of the decision on his instance", func() bool {
		l := getList[notificationOut](t, c, "/api/v1/notifications?kind=membership_decision", carl)
		return len(l) == 1 && l[0].Detail == "accepted" && strings.Contains(l[0].Text, "You are now a member")
	})
}
