package federation_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func inTimeline(t *testing.T, inst *apptest.Instance, owner *models.Actor, noteURI string) bool {
	t.Helper()
	tl, err := inst.App.Svc.Social.Timeline(context.Background(), owner, "", 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tl {
		if e.Note.URI == noteURI {
			return true
		}
	}
	return false
}

// followAccepted has follower (on from) follow target — or finds its follow
// when there is one — and waits for the Accept.
func followAccepted(t *testing.T, from *apptest.Instance, follower *models.Actor, target string) *models.Follow {
	t.Helper()
	ctx := context.Background()
	f, actor, err := from.App.Svc.Social.FollowByHandle(ctx, follower, target)
	if errs.Status(err) == http.StatusConflict && actor != nil {
		// A member follows the community it joined (the Follow goes out with
		// the Join's Accept): the follow may be there already, accepted or not.
		f, err = from.App.Store.FollowByPair(ctx, follower.ID, actor.ID)
	}
	if err != nil {
		t.Fatalf("%s follows %s: %v", follower.Username, target, err)
	}
	eventually(t, follower.Username+" follows "+target, func() bool {
		got, err := from.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	return f
}

// TestThreeInstances: A, B and C federate; C blocks A's domain (configuration).
// ada@A and bob@B follow each other, bob and cat@C follow each other; posts reach
// followers on the other instances, Delete and Undo propagate. A and C exchange
// nothing: C answers A's signed inbox POSTs with 403, C's posts never reach A,
// and B's traffic with C is unaffected.
func TestThreeInstances(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	c := apptest.Start(t, func(cfg *config.Config) { cfg.Federation.BlockedDomains = []string{a.Host} })
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	newUser(t, c, "cat")
	ctx := context.Background()
	ada, bob, cat := actorOf(t, a, "ada"), actorOf(t, b, "bob"), actorOf(t, c, "cat")

	adaFollowsBob := followAccepted(t, a, ada, b.Handle("bob"))
	followAccepted(t, b, bob, a.Handle("ada"))
	followAccepted(t, b, bob, c.Handle("cat")) // B's follow of a C user works
	catFollowsBob := followAccepted(t, c, cat, b.Handle("bob"))

	// ada tries to follow cat: A can read cat's actor, but C refuses the Follow.
	refusedBefore := inboxStatuses(t, c)["403"]
	f, _, err := a.App.Svc.Social.FollowByHandle(ctx, ada, c.ActorURL("cat"))
	if err != nil {
		t.Fatalf("ada follows cat: %v", err)
	}
	eventually(t, "C refuses A's Follow with 403", func() bool { return inboxStatuses(t, c)["403"] > refusedBefore })
	if got, err := a.App.Store.FollowByID(ctx, f.ID); err != nil || got.State != models.FollowPending {
		t.Errorf("ada's follow of cat: %+v, %v; want pending", got, err)
	}
	if n, _ := c.App.Store.CountFollowers(ctx, cat.ID); n != 1 {
		t.Errorf("cat has %d followers, want 1 (bob)", n)
	}

	// bob's post reaches ada on A and cat on C; ada's reaches bob.
	bobNote, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: "hello A and C"})
	if err != nil {
		t.Fatal(err)
	}
	adaNote, err := a.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "hello B"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's note on A and C, ada's on B", func() bool {
		return inTimeline(t, a, ada, bobNote.URI) && inTimeline(t, c, cat, bobNote.URI) && inTimeline(t, b, bob, adaNote.URI)
	})

	// cat's post (mentioning ada) reaches bob, never A.
	catNote, err := c.App.Svc.Social.PostNote(ctx, cat, service.NoteInput{Content: "hello B, not you @ada@" + a.Host})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "cat's note on B", func() bool { return inTimeline(t, b, bob, catNote.URI) })

	// Delete and Undo propagate.
	if err := b.App.Svc.Social.DeleteNote(ctx, bob, bobNote.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's Delete on A and C", func() bool {
		na, errA := a.App.Store.NoteByURI(ctx, bobNote.URI)
		nc, errC := c.App.Store.NoteByURI(ctx, bobNote.URI)
		return errA == nil && errC == nil && na.DeletedAt != nil && nc.DeletedAt != nil
	})
	if err := a.App.Svc.Social.UnfollowByID(ctx, ada, adaFollowsBob.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.App.Svc.Social.UnfollowByID(ctx, cat, catFollowsBob.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Undo of ada's and cat's follows on B", func() bool {
		n, _ := b.App.Store.CountFollowers(ctx, bob.ID)
		return n == 0
	})

	// A's signed POST straight to C's inbox is refused with 403.
	key, err := a.App.Svc.Actors.PrivateKey(ada)
	if err != nil {
		t.Fatal(err)
	}
	body := mustJSON(t, createDoc(ada.URI, a.URL+"/activities/direct", a.URL+"/notes/direct"))
	if code, resp := do(t, signedPost(t, c.ActorURL("cat")+"/inbox", ada.PublicKeyID, key, body, time.Now())); code != 403 {
		t.Errorf("A's POST to C's inbox: %d %s, want 403", code, resp)
	}

	// Once every queue is idle no stray delivery is left: A and C exchanged nothing.
	apptest.WaitIdle(t, a, b, c)
	var fromC, fromA int64
	a.App.Store.DB.Model(&models.Activity{}).Where("local = ? AND actor_uri LIKE ?", false, c.URL+"/%").Count(&fromC)
	c.App.Store.DB.Model(&models.Activity{}).Where("local = ? AND actor_uri LIKE ?", false, a.URL+"/%").Count(&fromA)
	if fromC != 0 || fromA != 0 {
		t.Errorf("A stored %d activities from C, C stored %d from A; want none", fromC, fromA)
	}
	if _, err := a.App.Store.NoteByURI(ctx, catNote.URI); err == nil {
		t.Error("cat's note reached A")
	}
	if _, err := c.App.Store.NoteByURI(ctx, adaNote.URI); err == nil {
		t.Error("ada's note reached C")
	}
	if _, err := c.App.Store.ActorByURI(ctx, ada.URI); err == nil {
		t.Error("C fetched and stored ada's actor")
	}
	for name, inst := range map[string]*apptest.Instance{"A": a, "B": b, "C": c} {
		for _, act := range failedInbound(inst) {
			t.Errorf("%s: inbound %s %s failed: %s", name, act.Type, act.URI, act.Error)
		}
		for status, n := range inboxStatuses(t, inst) {
			if status != "202" && !(name == "C" && status == "403") {
				t.Errorf("%s's inbox answered %s %d times", name, status, n)
			}
		}
	}
}
