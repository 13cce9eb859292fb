package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityRelaysEditsAndDeletes (FEP-1b12, as Lemmy does): a community on
// A announces the Update and the Delete of its posts as it announced their
// Create, so that bea on B, who follows the community and neither author,
// sees the edit and loses the deleted post. Both authors: maria, local to A,
// and carl on C, whose Update and Delete reach A's Group and are relayed as
// received (B re-fetches the edited post from C, never trusting the relay).
func TestCommunityRelaysEditsAndDeletes(t *testing.T) {
	a, b, c := apptest.Start(t), apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "maria")
	newUser(t, b, "bea")
	newUser(t, c, "carl")
	maria, bea, carl := actorOf(t, a, "maria"), actorOf(t, b, "bea"), actorOf(t, c, "carl")
	mariaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "maria")
	group, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "garden", Name: "Garden", Licence: "CC-BY-SA-4.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.App.Svc.Social.FollowByHandle(ctx, bea, a.Handle("garden")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B follows the community", func() bool { n, _ := a.App.Store.CountFollowers(ctx, group.ID); return n == 1 })
	// carl joins (members post: the default policy).
	remoteGroup, _, err := c.App.Svc.Communities.Resolve(ctx, a.Handle("garden"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.App.Svc.Communities.Join(ctx, carl, remoteGroup, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "carl's join accepted", func() bool {
		m, err := c.App.Store.Membership(ctx, remoteGroup.ID, carl.ID)
		return err == nil && m.State == models.MembershipActive
	})
	defer func() {
		if t.Failed() {
			for name, inst := range map[string]*apptest.Instance{"A": a, "B": b} {
				var rows []models.Activity
				inst.App.Store.DB.Where("local = ?", false).Find(&rows)
				for _, r := range rows {
					t.Logf("%s got %s %s %s %q", name, r.Type, r.State, r.URI, r.Error)
				}
			}
		}
	}()
	onB := func(uri string) *models.Note {
		n, err := b.App.Store.NoteByURI(ctx, uri)
		if err != nil {
			return nil
		}
		return n
	}

	cases := []struct {
		name   string
		inst   *apptest.Instance
		author *models.Actor
	}{
		{"local author", a, maria},
		{"remote author", c, carl},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := tc.inst.App.Svc
			post, err := svc.Social.PostNote(ctx, tc.author, service.NoteInput{Content: "Seed swap on Saturday",
				Community: a.Handle("garden"), Visibility: models.VisibilityPublic})
			if err != nil {
				t.Fatal(err)
			}
			eventually(t, "B has the post", func() bool {
				n := onB(post.URI)
				return n != nil && strings.Contains(n.Content, "Saturday")
			})
			if _, err := svc.Social.EditNote(ctx, tc.author, post.ID, service.NoteEdit{Content: "Seed swap moved to Sunday"}); err != nil {
				t.Fatal(err)
			}
			eventually(t, "B sees the edit", func() bool {
				n := onB(post.URI)
				return n != nil && strings.Contains(n.Content, "Sunday") && n.EditedAt != nil
			})
			eventually(t, "the edit on bea's timeline", func() bool {
				tl, _ := b.App.Svc.Social.Timeline(ctx, bea, "", 10)
				for _, e := range tl {
					if e.Note.URI == post.URI {
						return strings.Contains(e.Note.Content, "Sunday")
					}
				}
				return false
			})
			if err := svc.Social.DeleteNote(ctx, tc.author, post.ID); err != nil {
				t.Fatal(err)
			}
			eventually(t, "B drops the deleted post", func() bool {
				n := onB(post.URI)
				return n != nil && n.DeletedAt != nil
			})
		})
	}
}
