package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

func TestAdminFederationForbiddenForMembers(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "admin1", "admin")
	member := tokenFor(t, inst, "mallory", "member")
	mod := tokenFor(t, inst, "mod", "moderator")
	cases := []struct {
		method, path string
		body         any
		modStatus    int
	}{
		{"GET", "/api/v1/admin/deliveries", nil, http.StatusOK},
		{"GET", "/api/v1/admin/deliveries/counts", nil, http.StatusOK},
		{"GET", "/api/v1/admin/domain_blocks", nil, http.StatusOK},
		{"POST", "/api/v1/admin/domain_blocks", map[string]string{"domain": "evil.example"}, http.StatusForbidden},
		{"DELETE", "/api/v1/admin/domain_blocks/evil.example", nil, http.StatusForbidden},
		{"GET", "/api/v1/admin/reports", nil, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := call(t, inst, tc.method, tc.path, member, tc.body)
			expect(t, r, http.StatusForbidden)
			r.errorMessage(t)
			expect(t, call(t, inst, tc.method, tc.path, "", tc.body), http.StatusUnauthorized)
			expect(t, call(t, inst, tc.method, tc.path, mod, tc.body), tc.modStatus)
		})
	}
	expect(t, call(t, inst, "GET", "/api/v1/admin/deliveries?state=bogus", mod, nil), http.StatusBadRequest)
	expect(t, call(t, inst, "GET", "/api/v1/admin/deliveries?limit=1001", mod, nil), http.StatusBadRequest)
	var blocks []any
	call(t, inst, "GET", "/api/v1/admin/domain_blocks", mod, nil).json(t, &blocks)
	if len(blocks) != 0 {
		t.Fatalf("a moderator's POST went through: %+v", blocks)
	}
}

func TestAdminDomainBlockStopsFollows(t *testing.T) {
	a, b := start(t), start(t)
	admin := tokenFor(t, a, "admin1", "admin")
	ada := tokenFor(t, a, "ada", "member")
	tokenFor(t, b, "bob", "member")
	ctx := context.Background()

	for _, bad := range []map[string]string{{"domain": ""}, {"domain": "a b"}, {"domain": b.Host, "policy": "maybe"}} {
		expect(t, call(t, a, "POST", "/api/v1/admin/domain_blocks", admin, bad), http.StatusUnprocessableEntity)
	}
	r := call(t, a, "POST", "/api/v1/admin/domain_blocks", admin, map[string]string{"domain": b.Host, "reason": "spam"})
	expect(t, r, http.StatusCreated)
	var blk struct {
		Domain, Policy, Reason, Source string
		CreatedAt                      *string `json:"created_at"`
	}
	r.json(t, &blk)
	if blk.Domain != b.Host || blk.Policy != "block" || blk.Reason != "spam" || blk.Source != "admin" || blk.CreatedAt == nil {
		t.Fatalf("block %s", r.Body)
	}
	var list []struct{ Domain, Policy string }
	call(t, a, "GET", "/api/v1/admin/domain_blocks", admin, nil).json(t, &list)
	if len(list) != 1 || list[0].Domain != b.Host {
		t.Fatalf("blocks %+v", list)
	}

	for _, target := range []string{b.Handle("bob"), "bob@" + b.Host, b.ActorURL("bob")} {
		r := call(t, a, "POST", "/api/v1/follows", ada, map[string]string{"target": target})
		expect(t, r, http.StatusForbidden)
		r.errorMessage(t)
	}
	if l := getList[followOut](t, a, "/api/v1/follows", ada); len(l) != 0 {
		t.Fatalf("follows stored %+v", l)
	}
	if _, err := a.App.Store.ActorByURI(ctx, b.ActorURL("bob")); err == nil {
		t.Fatal("the blocked domain's actor was fetched and stored")
	}
	if l := getList[any](t, a, "/api/v1/admin/deliveries?host="+url.QueryEscape(b.Host), admin); len(l) != 0 {
		t.Fatalf("deliveries queued %+v", l)
	}

	expect(t, call(t, a, "DELETE", "/api/v1/admin/domain_blocks/"+b.Host, admin, nil), http.StatusNoContent)
	expect(t, call(t, a, "DELETE", "/api/v1/admin/domain_blocks/"+b.Host, admin, nil), http.StatusNotFound)
	expect(t, call(t, a, "POST", "/api/v1/follows", ada, map[string]string{"target": b.Handle("bob")}), http.StatusCreated)
}

func TestAdminReports(t *testing.T) {
	inst := start(t)
	mod := tokenFor(t, inst, "mod", "moderator")
	createUser(t, inst, "rex", "member")
	createUser(t, inst, "tom", "member")
	ctx := context.Background()
	actor := func(name string) string { return inst.ActorURL(name) }
	rex, err := inst.App.Store.ActorByURI(ctx, actor("rex"))
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Svc.Social.ReceiveFlag(ctx, rex, inst.URL+"/activities/flag1",
		[]string{actor("tom")}, "<b>spam</b> again"); err != nil {
		t.Fatal(err)
	}
	r := call(t, inst, "GET", "/api/v1/admin/reports", mod, nil)
	expect(t, r, http.StatusOK)
	var reps []struct {
		URI        string
		Reporter   actorOut
		Target     *actorOut
		ObjectURIs []string `json:"object_uris"`
		Content    string
	}
	r.json(t, &reps)
	if len(reps) != 1 || reps[0].Reporter.Username != "rex" || reps[0].Target == nil || reps[0].Target.Username != "tom" ||
		len(reps[0].ObjectURIs) != 1 || reps[0].Content != "spam again" {
		t.Fatalf("reports %s", r.Body)
	}
	expect(t, call(t, inst, "GET", "/api/v1/admin/reports?limit=500", mod, nil), http.StatusBadRequest)
}
