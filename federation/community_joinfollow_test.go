package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// cmWebFinger makes a fake actor findable by its handle (acct:name@host).
func cmWebFinger(a *cmActor, name string) string {
	host := strings.TrimPrefix(a.fake.srv.URL, "http://")
	a.fake.put(a.fake.srv.URL+"/.well-known/webfinger", map[string]any{"subject": "acct:" + name + "@" + host,
		"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": a.URI}}})
	return "@" + name + "@" + host
}

func cmMembership(t *testing.T, inst *apptest.Instance, group *models.Actor, uri string) *models.Membership {
	t.Helper()
	ctx := context.Background()
	a, err := inst.App.Store.ActorByURI(ctx, uri)
	if err != nil {
		return nil
	}
	m, err := inst.App.Store.Membership(ctx, group.ID, a.ID)
	if err != nil {
		return nil
	}
	return m
}

// TestCommunityJoinByFollow: a Mastodon user (who cannot send Join) asks to join
// on the community's page, then follows the Group from their account; the Follow,
// signed as Mastodon signs, turns the awaiting_follow membership into a request
// under the policy. A plain Follow stays a follow.
func TestCommunityJoinByFollow(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	open, _ := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	gated, steward := cmCommunity(t, inst, "olga", "lodge", service.CommunityInput{Name: "Lodge", MembershipPolicy: "approval"})
	fake := newCMFake(t)
	felix, nina, paul := fake.mastodon(t, "felix"), fake.mastodon(t, "nina"), fake.mastodon(t, "paul")

	// Open policy: the handle is resolved (WebFinger, then the actor), the intent
	// recorded, and the Follow makes felix an active member, logged.
	_, m, err := svc.Communities.RequestByFollow(ctx, open, cmWebFinger(felix, "felix"))
	if err != nil || m.State != models.MembershipAwaitingFollow {
		t.Fatalf("request: %+v %v", m, err)
	}
	if n, _ := inst.App.Store.CountMembers(ctx, open.ID, nil); n != 1 {
		t.Fatalf("an awaiting request counts as a member: %d", n)
	}
	cmFollowGroup(t, inst, felix, open)
	if m := cmMembership(t, inst, open, felix.URI); m == nil || m.State != models.MembershipActive || m.Role != models.RoleCommunityMember {
		t.Fatalf("after the Follow: %+v", m)
	}
	log, _ := svc.Communities.RoleLog(ctx, open, 10)
	if len(log) == 0 || log[0].ActorID != cmMembership(t, inst, open, felix.URI).ActorID || log[0].NewRole != models.RoleCommunityMember {
		t.Fatalf("role log %+v", log)
	}

	// Approval policy: the Follow makes a pending request a maintainer decides.
	if _, _, err := svc.Communities.RequestByFollow(ctx, gated, nina.URI); err != nil {
		t.Fatal(err)
	}
	cmFollowGroup(t, inst, nina, gated)
	pm := cmMembership(t, inst, gated, nina.URI)
	if pm == nil || pm.State != models.MembershipPending {
		t.Fatalf("approval: %+v", pm)
	}
	if _, err := svc.Communities.DecideMembership(ctx, steward, gated, pm.ID, true); err != nil {
		t.Fatal(err)
	}
	if m := cmMembership(t, inst, gated, nina.URI); m.State != models.MembershipActive {
		t.Fatalf("approved: %+v", m)
	}

	// A plain Follow (no intent) makes no membership.
	cmFollowGroup(t, inst, paul, open)
	if m := cmMembership(t, inst, open, paul.URI); m != nil {
		t.Fatalf("a plain follow made a membership: %+v", m)
	}

	// An intent older than 7 days is ignored (and dropped) when the Follow comes.
	_, old, err := svc.Communities.RequestByFollow(ctx, gated, paul.URI)
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Store.TransitionMembership(ctx, old.ID, []string{models.MembershipAwaitingFollow}, models.MembershipAwaitingFollow,
		map[string]any{"created_at": time.Now().Add(-8 * 24 * time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	cmFollowGroup(t, inst, paul, gated)
	if m := cmMembership(t, inst, gated, paul.URI); m != nil {
		t.Fatalf("an expired intent was honoured: %+v", m)
	}

	// Refused up front: a local account, an existing member, an unknown handle,
	// and any request under the invitation policy.
	closed, _ := cmCommunity(t, inst, "ines", "vault", service.CommunityInput{Name: "Vault", MembershipPolicy: "invitation"})
	for _, tc := range []struct {
		group  *models.Actor
		handle string
		status int
	}{
		{open, "maria", http.StatusUnprocessableEntity},
		{open, felix.URI, http.StatusConflict},
		{open, fake.srv.URL + "/users/nobody", http.StatusUnprocessableEntity},
		{closed, nina.URI, http.StatusForbidden},
	} {
		if _, _, err := svc.Communities.RequestByFollow(ctx, tc.group, tc.handle); cmStatus(err) != tc.status {
			t.Errorf("%s to %s: %v, want %d", tc.handle, tc.group.Username, err, tc.status)
		}
	}
}
