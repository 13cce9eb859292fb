package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestAdminForbiddenForMembers(t *testing.T) {
	inst := start(t)
	createUser(t, inst, "admin1", "admin")
	member := userWithToken(t, inst, "mallory", "member")
	cases := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/admin/users", nil},
		{"PATCH", "/api/v1/admin/users/mallory", map[string]string{"role": "admin"}},
		{"PATCH", "/api/v1/admin/users/admin1", map[string]bool{"suspended": true}},
		{"PUT", "/api/v1/admin/registration", map[string]string{"mode": "open"}},
		{"POST", "/api/v1/admin/invites", map[string]int{"max_uses": 5}},
		{"GET", "/api/v1/admin/invites", nil},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := call(t, inst, tc.method, tc.path, member, tc.body)
			expect(t, r, http.StatusForbidden)
			r.errorMessage(t)
		})
	}
	var me struct{ Role string }
	call(t, inst, "GET", "/api/v1/accounts/verify_credentials", member, nil).json(t, &me)
	if me.Role != "member" {
		t.Fatalf("role changed to %q", me.Role)
	}
}

func TestAdminUsersAndRoles(t *testing.T) {
	inst := start(t)
	admin := userWithToken(t, inst, "admin1", "admin")
	for _, n := range []string{"u1", "u2", "u3"} {
		createUser(t, inst, n, "member")
	}

	r := call(t, inst, "GET", "/api/v1/admin/users?limit=2", admin, nil)
	expect(t, r, http.StatusOK)
	var page []struct{ Username, Email, Role string }
	r.json(t, &page)
	if len(page) != 2 || page[0].Username != "u3" || page[0].Email != "u3@example.org" {
		t.Fatalf("page %s", r.Body)
	}
	call(t, inst, "GET", "/api/v1/admin/users?limit=10&offset=3", admin, nil).json(t, &page)
	if len(page) != 1 || page[0].Username != "admin1" {
		t.Fatalf("offset page %+v", page)
	}
	for _, q := range []string{"limit=abc", "limit=0", "limit=1000", "offset=-1"} {
		expect(t, call(t, inst, "GET", "/api/v1/admin/users?"+q, admin, nil), http.StatusBadRequest)
	}

	cases := []struct {
		name   string
		token  *string
		user   string
		body   any
		status int
		role   string
	}{
		{"admin promotes to moderator", &admin, "u1", map[string]string{"role": "moderator"}, http.StatusOK, "moderator"},
		{"invalid role", &admin, "u2", map[string]string{"role": "king"}, http.StatusUnprocessableEntity, ""},
		{"empty role", &admin, "u2", map[string]string{"role": ""}, http.StatusUnprocessableEntity, ""},
		{"unknown user", &admin, "ghost", map[string]string{"role": "member"}, http.StatusNotFound, ""},
		{"admin cannot demote self", &admin, "admin1", map[string]string{"role": "member"}, http.StatusForbidden, ""},
		{"unknown field", &admin, "u2", map[string]string{"rank": "x"}, http.StatusBadRequest, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, inst, "PATCH", "/api/v1/admin/users/"+tc.user, *tc.token, tc.body)
			expect(t, r, tc.status)
			if tc.role != "" {
				var u struct{ Role string }
				r.json(t, &u)
				if u.Role != tc.role {
					t.Fatalf("role %q, want %q", u.Role, tc.role)
				}
			}
		})
	}

	// The new moderator may suspend a member but not change roles or the mode.
	mod := login(t, inst, "u1")
	expect(t, call(t, inst, "PATCH", "/api/v1/admin/users/u2", mod, map[string]string{"role": "admin"}), http.StatusForbidden)
	expect(t, call(t, inst, "PUT", "/api/v1/admin/registration", mod, map[string]string{"mode": "closed"}), http.StatusForbidden)
	r = call(t, inst, "PATCH", "/api/v1/admin/users/u2", mod, map[string]bool{"suspended": true})
	expect(t, r, http.StatusOK)
	r = call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": "u2", "password": goodPassword})
	expect(t, r, http.StatusForbidden)
}

func TestAdminRegistrationMode(t *testing.T) {
	inst := start(t)
	admin := userWithToken(t, inst, "admin1", "admin")
	mode := func() string {
		var out struct {
			RegistrationMode string `json:"registration_mode"`
		}
		call(t, inst, "GET", "/api/v1/instance", "", nil).json(t, &out)
		return out.RegistrationMode
	}
	for _, tc := range []struct {
		mode   string
		status int
		want   string
	}{
		{"approval", http.StatusOK, "approval"},
		{"closed", http.StatusOK, "closed"},
		{"invite-only", http.StatusUnprocessableEntity, "closed"},
		{"", http.StatusUnprocessableEntity, "closed"},
		{"open", http.StatusOK, "open"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			r := call(t, inst, "PUT", "/api/v1/admin/registration", admin, map[string]string{"mode": tc.mode})
			expect(t, r, tc.status)
			if got := mode(); got != tc.want {
				t.Fatalf("mode %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInviteFlowUnderClosedRegistration(t *testing.T) {
	inst := start(t)
	admin := userWithToken(t, inst, "admin1", "admin")
	expect(t, call(t, inst, "PUT", "/api/v1/admin/registration", admin, map[string]string{"mode": "closed"}), http.StatusOK)

	for _, bad := range []map[string]int{{"max_uses": 0}, {"max_uses": 5000}, {"expires_in_hours": -1}} {
		expect(t, call(t, inst, "POST", "/api/v1/admin/invites", admin, bad), http.StatusUnprocessableEntity)
	}
	r := call(t, inst, "POST", "/api/v1/admin/invites", admin, map[string]int{"max_uses": 1, "expires_in_hours": 24})
	expect(t, r, http.StatusCreated)
	var inv struct {
		Code, URL string
		MaxUses   int     `json:"max_uses"`
		ExpiresAt *string `json:"expires_at"`
	}
	r.json(t, &inv)
	if inv.Code == "" || inv.URL != inst.URL+"/signup?invite="+inv.Code || inv.MaxUses != 1 || inv.ExpiresAt == nil {
		t.Fatalf("invite %s", r.Body)
	}

	signup := func(name, code string) response {
		return call(t, inst, "POST", "/api/v1/accounts", "", map[string]string{
			"username": name, "email": name + "@example.org", "password": goodPassword, "invite": code})
	}
	expect(t, signup("nina", ""), http.StatusForbidden)
	expect(t, signup("nina", "bogus"), http.StatusForbidden)
	expect(t, signup("nina", inv.Code), http.StatusCreated)
	r = signup("oscar", inv.Code) // used up
	expect(t, r, http.StatusForbidden)
	if m := r.errorMessage(t); !strings.Contains(m, "invite") {
		t.Fatalf("message %q", m)
	}
	login(t, inst, "nina")

	r = call(t, inst, "GET", "/api/v1/admin/invites", admin, nil)
	expect(t, r, http.StatusOK)
	var list []struct {
		Code string
		Uses int
	}
	r.json(t, &list)
	if len(list) != 1 || list[0].Code != inv.Code || list[0].Uses != 1 {
		t.Fatalf("invites %s", r.Body)
	}
}
