package federation_test

import (
	"context"
	"slices"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityRolesFederate: a steward's promotion of a member to maintainer
// reaches the Group's followers (and a remote member itself) as
// Add{member, <group>/moderators}, the moderators collection lists them, a
// demotion is a Remove; the actor's commons:memberCount follows joins and leaves.
func TestCommunityRolesFederate(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc.Communities
	group, maria := cmCommunity(t, inst, "maria", "forge", service.CommunityInput{Name: "Forge"})
	moderators := group.URI + "/moderators"
	fake := newCMFake(t)
	felix := fake.mastodon(t, "felix")
	fakeInst := newCMFake(t) // a second server: its member is not a follower
	mallory := fakeInst.mastodon(t, "mallory")
	cmFollowGroup(t, inst, felix, group)
	memberCount := func() float64 {
		n, _ := cmGetJSON(t, inst, group.URI)["commons:memberCount"].(float64)
		return n
	}
	if n := memberCount(); n != 1 {
		t.Fatalf("memberCount %v, want 1 (the founder)", n)
	}

	newUser(t, inst, "carl")
	carl := actorOf(t, inst, "carl")
	if _, err := svc.Join(ctx, carl, group, ""); err != nil {
		t.Fatal(err)
	}
	join := cmJoin(t, mallory, group)
	fakeInst.waitPost(t, "Accept of the Join", cmIs("Accept", group.URI, join))
	if n := memberCount(); n != 3 {
		t.Fatalf("memberCount %v, want 3", n)
	}
	remoteMallory, err := inst.App.Store.ActorByURI(ctx, mallory.URI)
	if err != nil {
		t.Fatal(err)
	}

	isRole := func(typ, member string) func(map[string]any) bool {
		return func(m map[string]any) bool {
			return cmIs(typ, group.URI, member)(m) && cmID(m["target"]) == moderators
		}
	}
	if _, err := svc.SetRole(ctx, maria, group, carl, models.RoleCommunityMaintainer); err != nil {
		t.Fatal(err)
	}
	fake.waitPost(t, "Add{carl, moderators} to the follower", isRole("Add", carl.URI))
	if _, err := svc.SetRole(ctx, maria, group, remoteMallory, models.RoleCommunityMaintainer); err != nil {
		t.Fatal(err)
	}
	fake.waitPost(t, "Add{mallory, moderators} to the follower", isRole("Add", mallory.URI))
	fakeInst.waitPost(t, "Add{mallory, moderators} to mallory", isRole("Add", mallory.URI))
	if got := cmModerators(t, inst, moderators); !slices.Equal(got, []string{maria.URI, carl.URI, mallory.URI}) {
		t.Fatalf("moderators %v", got)
	}

	// A maintainer is not a steward: changing roles stays refused, and nothing is sent.
	if _, err := svc.SetRole(ctx, carl, group, remoteMallory, models.RoleCommunityMember); cmStatus(err) != 403 {
		t.Fatalf("maintainer demoting: %v", err)
	}

	if _, err := svc.SetRole(ctx, maria, group, carl, models.RoleCommunityMember); err != nil {
		t.Fatal(err)
	}
	fake.waitPost(t, "Remove{carl, moderators}", isRole("Remove", carl.URI))
	if got := cmModerators(t, inst, moderators); !slices.Equal(got, []string{maria.URI, mallory.URI}) {
		t.Fatalf("moderators after demotion %v", got)
	}
	if fake.hasPost(isRole("Remove", mallory.URI)) {
		t.Fatal("a refused demotion was federated")
	}

	if err := svc.Leave(ctx, carl, group); err != nil {
		t.Fatal(err)
	}
	if n := memberCount(); n != 2 {
		t.Fatalf("memberCount after a leave %v, want 2", n)
	}
}

// cmModerators lists the ids in a moderators collection (inline items).
func cmModerators(t *testing.T, inst *apptest.Instance, uri string) []string {
	t.Helper()
	c := cmGetJSON(t, inst, uri)
	items := c["orderedItems"]
	if items == nil {
		items = c["items"]
	}
	var out []string
	for _, v := range cmList(items) {
		out = append(out, cmID(v))
	}
	if n, _ := c["totalItems"].(float64); int(n) != len(out) {
		t.Errorf("moderators totalItems %v, %d items", c["totalItems"], len(out))
	}
	return out
}

func cmList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
