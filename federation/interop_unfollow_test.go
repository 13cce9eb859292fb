package federation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// cmUndoFollow sends Mastodon's Undo{Follow} (from its fixture) of followID and
// waits until it has been processed.
func cmUndoFollow(t *testing.T, inst *apptest.Instance, a *cmActor, group *models.Actor, followID string) {
	t.Helper()
	undo := cmFixture(t, "activities/undo_follow.json")
	undo["id"], undo["actor"] = followID+"/undo", a.URI
	inner := undo["object"].(map[string]any)
	inner["id"], inner["actor"], inner["object"] = followID, a.URI, group.URI
	if st, body := a.post(t, group.InboxURI, undo); st != http.StatusAccepted {
		t.Fatalf("Undo: %d %s", st, body)
	}
	if row := cmOutcome(t, inst, undo["id"].(string)); row.State != models.ActivityProcessed {
		t.Fatalf("Undo processed as %s: %s", row.State, row.Error)
	}
}

// TestCommunityLeaveByUnfollow: a Mastodon user who joined by following the
// community leaves it by unfollowing (the role log says so); the last steward
// who unfollows stops following but stays a steward.
func TestCommunityLeaveByUnfollow(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	group, maria := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	fake := newCMFake(t)
	felix, nina := fake.mastodon(t, "felix"), fake.mastodon(t, "nina")

	join := func(a *cmActor) string {
		_, m, err := svc.Communities.RequestByFollow(ctx, group, a.URI, "192.0.2.20")
		if err != nil {
			t.Fatal(err)
		}
		id := cmFollowGroup(t, inst, a, group)
		cmSend(t, inst, a, group, cmDirect(t, inst, a, group, "joining "+service.JoinCode(m)))
		if m := cmMembership(t, inst, group, a.URI); m == nil || m.State != models.MembershipActive {
			t.Fatalf("%s did not join: %+v", a.URI, m)
		}
		return id
	}

	t.Run("member leaves", func(t *testing.T) {
		id := join(felix)
		felixRow := cmMembership(t, inst, group, felix.URI).ActorID
		cmUndoFollow(t, inst, felix, group, id)
		if m := cmMembership(t, inst, group, felix.URI); m != nil {
			t.Fatalf("still a member after unfollowing: %+v", m)
		}
		if f, err := inst.App.Store.FollowByURI(ctx, id); err == nil {
			t.Fatalf("follow kept: %+v", f)
		}
		log, _ := svc.Communities.RoleLog(ctx, group, 10)
		if len(log) == 0 || log[0].ActorID != felixRow || log[0].OldRole != models.RoleCommunityMember || log[0].NewRole != "" {
			t.Fatalf("role log %+v", log)
		}
	})

	t.Run("last steward stays", func(t *testing.T) {
		id := join(nina)
		ninaActor := cmRemoteRow(t, inst, nina)
		if _, err := svc.Communities.SetRole(ctx, maria, group, ninaActor, models.RoleCommunitySteward); err != nil {
			t.Fatal(err)
		}
		if err := svc.Communities.Leave(ctx, maria, group); err != nil {
			t.Fatal(err)
		}
		cmUndoFollow(t, inst, nina, group, id)
		if m := cmMembership(t, inst, group, nina.URI); m == nil || m.Role != models.RoleCommunitySteward || m.State != models.MembershipActive {
			t.Fatalf("the last steward's membership: %+v", m)
		}
		if _, err := inst.App.Store.FollowByURI(ctx, id); err == nil {
			t.Fatal("the last steward's follow was kept")
		}
	})
}
