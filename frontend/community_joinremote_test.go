package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestCommunityJoinFromAnotherServer: the "Join from another server" form is on
// the page of a community that is not invitation-only; a bad handle is a 422
// with the form back and nothing recorded.
func TestCommunityJoinFromAnotherServer(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	anon := newBrowser(t, inst)
	want(t, anon.get("/c/seeds"), http.StatusOK, `id="join-remote"`, `action="/c/seeds/join-remote"`, `name="member_handle"`)

	for _, tc := range []struct{ handle, msg string }{
		{"not a handle", "enter your handle as @name@your.instance"},
		{"@nobody@", "enter your handle as @name@your.instance"},
		{"@ada@" + inst.Host, "has an account on this server"},
	} {
		p := anon.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {tc.handle}})
		want(t, p, http.StatusUnprocessableEntity, tc.msg, `aria-invalid="true"`)
	}
	want(t, anon.post("/c/seeds", "/c/seeds/join-remote", url.Values{"member_handle": {"@x@y.example"}, "csrf": {""}}), http.StatusForbidden)
	var n int64
	inst.App.Store.DB.Model(&models.Membership{}).Where("state = ?", models.MembershipAwaitingFollow).Count(&n)
	if n != 0 {
		t.Fatalf("%d awaiting memberships after refused forms", n)
	}

	// Invitation-only communities have no such form.
	group := actor(t, inst, "seeds")
	com, err := inst.App.Svc.Communities.ByActor(context.Background(), group)
	if err != nil {
		t.Fatal(err)
	}
	com.MembershipPolicy = models.PolicyInvitation
	if err := inst.App.Store.UpdateCommunity(context.Background(), com); err != nil {
		t.Fatal(err)
	}
	if p := anon.get("/c/seeds"); p.Status != http.StatusOK || strings.Contains(p.Body, `action="/c/seeds/join-remote"`) {
		t.Fatalf("invitation-only page offers the form: %d", p.Status)
	}
}
