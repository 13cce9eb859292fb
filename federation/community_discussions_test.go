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

// TestCommunityDiscussionModeration: under a members-only posting policy a
// non-member's post is refused (not stored, listed or relayed) and a member's is
// relayed; a maintainer locks the thread (Lock federated) and replies to it are
// refused, remote or local, before anything is stored; removing the post
// federates a Delete from the Group.
func TestCommunityDiscussionModeration(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	st := inst.App.Store
	group, maria := cmCommunity(t, inst, "maria", "repair", service.CommunityInput{Name: "Repair café", PostingPolicy: "members"})
	fake := newCMFake(t)
	felix := fake.mastodon(t, "felix") // follows the Group: sees what it relays
	cmFollowGroup(t, inst, felix, group)
	other := newCMFake(t)
	mallory := other.mastodon(t, "mallory")

	post := func(a *cmActor, text, inReplyTo string) (create map[string]any, noteID string, row *models.Activity) {
		t.Helper()
		create, noteID = cmNote(t, inst, a, group, text, inReplyTo)
		if code, body := a.post(t, group.InboxURI, create); code != http.StatusAccepted {
			t.Fatalf("Create: %d %s", code, body)
		}
		return create, noteID, cmOutcome(t, inst, create["id"].(string))
	}

	// A non-member's post is refused.
	_, refused, row := post(mallory, "Selling cheap phones", "")
	if row.State != models.ActivityFailed || !strings.Contains(row.Error, "only members may post") {
		t.Fatalf("non-member post ended %s %q", row.State, row.Error)
	}
	if _, err := st.NoteByURI(ctx, refused); err == nil {
		t.Fatal("refused post stored")
	}
	if l, _ := st.ListDiscussions(ctx, group.URI, 10, 0); len(l) != 0 {
		t.Fatalf("discussions %v", l)
	}

	// A member's post is listed and relayed.
	join := cmJoin(t, mallory, group)
	other.waitPost(t, "Accept of the Join", cmIs("Accept", group.URI, join))
	_, noteID, row := post(mallory, "Toaster won't heat\nThe coil looks fine.", "")
	if row.State != models.ActivityProcessed {
		t.Fatalf("member post ended %s %q", row.State, row.Error)
	}
	fake.waitPost(t, "Announce of the member's post", cmIs("Announce", group.URI, noteID))
	if fake.hasPost(cmIs("Announce", group.URI, refused)) {
		t.Fatal("the refused post was relayed")
	}
	note, err := st.NoteByURI(ctx, noteID)
	if err != nil {
		t.Fatal(err)
	}

	// Lock: federated, and replies are refused.
	if err := inst.App.Svc.Communities.Moderate(ctx, cmRemoteRow(t, inst, mallory), group, note.ID, "lock"); cmStatus(err) != 403 {
		t.Fatalf("a member locking: %v", err)
	}
	if err := inst.App.Svc.Communities.Moderate(ctx, maria, group, note.ID, "lock"); err != nil {
		t.Fatal(err)
	}
	fake.waitPost(t, "Lock of the thread", cmIs("Lock", group.URI, noteID))
	_, reply, row := post(mallory, "Try the thermostat", noteID)
	if row.State != models.ActivityFailed || !strings.Contains(row.Error, "locked") {
		t.Fatalf("reply to a locked thread ended %s %q", row.State, row.Error)
	}
	if _, err := st.NoteByURI(ctx, reply); err == nil {
		t.Fatal("reply to a locked thread stored")
	}
	if rs, _ := st.ListReplies(ctx, noteID, 10); len(rs) != 0 {
		t.Fatalf("replies %v", rs)
	}
	// A Mastodon reply addresses the post's author, not the Group: refused as well.
	create, reply2 := cmNote(t, inst, felix, group, "Me too", noteID)
	for _, m := range []map[string]any{create, create["object"].(map[string]any)} {
		m["cc"] = []any{felix.URI + "/followers", mallory.URI}
	}
	create["object"].(map[string]any)["tag"] = []any{map[string]any{"type": "Mention", "href": mallory.URI, "name": "@mallory"}}
	if code, body := felix.post(t, group.InboxURI, create); code != http.StatusAccepted {
		t.Fatalf("Create: %d %s", code, body)
	}
	if row := cmOutcome(t, inst, create["id"].(string)); row.State != models.ActivityFailed || !strings.Contains(row.Error, "locked") {
		t.Fatalf("unaddressed reply to a locked thread ended %s %q", row.State, row.Error)
	}
	if _, err := st.NoteByURI(ctx, reply2); err == nil {
		t.Fatal("unaddressed reply to a locked thread stored")
	}
	newUser(t, inst, "carl")
	carl := actorOf(t, inst, "carl")
	if _, err := inst.App.Svc.Communities.Join(ctx, carl, group, ""); err != nil {
		t.Fatal(err)
	}
	before := cmState(t, inst, group)
	_, err = inst.App.Svc.Social.PostNote(ctx, carl, service.NoteInput{Content: "Me too", InReplyTo: noteID, Community: group.URI})
	if cmStatus(err) != 403 {
		t.Fatalf("local reply to a locked thread: %v", err)
	}
	if after := cmState(t, inst, group); after != before {
		t.Fatalf("local reply to a locked thread changed state:\n%s\n%s", before, after)
	}

	// Remove: it takes a reason; the Group federates the Delete and sends the
	// remote author the reason in a direct note; the post leaves the list.
	if err := inst.App.Svc.Communities.Moderate(ctx, maria, group, note.ID, "remove"); cmStatus(err) != 422 {
		t.Fatalf("removal without a reason: %v", err)
	}
	if err := inst.App.Svc.Communities.RemovePost(ctx, maria, group, note.ID, "off topic here"); err != nil {
		t.Fatal(err)
	}
	fake.waitPost(t, "Delete from the Group", cmIs("Delete", group.URI, noteID))
	other.waitPost(t, "the reason, from the Group, at the author's server", func(m map[string]any) bool {
		obj, _ := m["object"].(map[string]any)
		c, _ := obj["content"].(string)
		return m["type"] == "Create" && m["actor"] == group.URI && strings.Contains(c, "off topic here")
	})
	if l, _ := st.ListDiscussions(ctx, group.URI, 10, 0); len(l) != 0 {
		t.Fatalf("discussions after removal %v", l)
	}
}

// cmRemoteRow returns the local row of a remote actor (service calls take it).
func cmRemoteRow(t *testing.T, inst *apptest.Instance, a *cmActor) *models.Actor {
	t.Helper()
	row, err := inst.App.Store.ActorByURI(context.Background(), a.URI)
	if err != nil {
		t.Fatal(err)
	}
	return row
}
