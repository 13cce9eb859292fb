package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityMastodonTraffic drives a community with Mastodon-shaped traffic
// from the fixtures, signed as Mastodon signs: a Mastodon user follows the Group
// (Accept delivered), posts a Note mentioning it (a discussion titled from the
// first line, relayed back as Announce(Note) and Announce(Create)), and unfollows.
func TestCommunityMastodonTraffic(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden"})
	fake := newCMFake(t)
	felix := fake.mastodon(t, "felix")

	// (a) Follow → 202, accepted, Accept delivered.
	followID := cmFollowGroup(t, inst, felix, group)
	remote, err := inst.App.Store.ActorByURI(ctx, felix.URI)
	if err != nil {
		t.Fatal(err)
	}
	f, err := inst.App.Store.FollowByPair(ctx, remote.ID, group.ID)
	if err != nil || f.State != models.FollowAccepted || f.URI != followID {
		t.Fatalf("follow %+v %v", f, err)
	}
	if remote.SharedInbox != fake.srv.URL+"/inbox" {
		t.Errorf("shared inbox from the fixture's endpoints: %q", remote.SharedInbox)
	}

	// (b) Create(Note) mentioning the Group → a discussion, relayed to followers.
	create, noteID := cmNote(t, inst, felix, group, "Seed swap on Saturday\nBring tomatoes and beans.", "")
	if st, body := felix.post(t, group.InboxURI, create); st != http.StatusAccepted {
		t.Fatalf("Create: %d %s", st, body)
	}
	if row := cmOutcome(t, inst, create["id"].(string)); row.State != models.ActivityProcessed {
		t.Fatalf("Create ended %s: %s", row.State, row.Error)
	}
	list, err := inst.App.Store.ListDiscussions(ctx, group.URI, 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("discussions %v %v", list, err)
	}
	if d := list[0]; d.URI != noteID || d.Name != "@garden Seed swap on Saturday" || !strings.Contains(d.Content, "tomatoes") {
		t.Fatalf("discussion %q %q %q", d.URI, d.Name, d.Content)
	}
	fake.waitPost(t, "Announce(Note)", cmIs("Announce", group.URI, noteID))
	relayed := fake.waitPost(t, "Announce(Create)", cmIs("Announce", group.URI, create["id"].(string)))
	inner := relayed["object"].(map[string]any)
	if inner["type"] != "Create" || inner["actor"] != felix.URI || cmID(inner["object"]) != noteID {
		t.Fatalf("relayed Create %v", inner)
	}
	if aud := relayed["audience"]; cmID(aud) != group.URI && !strings.Contains(strings.Join(cmStrs(aud), " "), group.URI) {
		t.Errorf("Announce audience %v", aud)
	}

	// (c) Undo(Follow) ends the follow.
	undo := cmFixture(t, "activities/undo_follow.json")
	undo["id"], undo["actor"] = followID+"/undo", felix.URI
	obj := undo["object"].(map[string]any)
	obj["id"], obj["actor"], obj["object"] = followID, felix.URI, group.URI
	if st, body := felix.post(t, group.InboxURI, undo); st != http.StatusAccepted {
		t.Fatalf("Undo: %d %s", st, body)
	}
	if row := cmOutcome(t, inst, undo["id"].(string)); row.State != models.ActivityProcessed {
		t.Fatalf("Undo ended %s: %s", row.State, row.Error)
	}
	if _, err := inst.App.Store.FollowByPair(ctx, remote.ID, group.ID); err == nil {
		t.Fatal("follow still there after Undo")
	}
	if n, _ := inst.App.Store.CountFollowers(ctx, group.ID); n != 0 {
		t.Fatalf("followers %d", n)
	}
}

func cmStrs(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}
