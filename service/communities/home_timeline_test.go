package communities_test

import (
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestCommunityPostsOnHomeTimelines: a community's new posts reach its
// stewards and maintainers (following or not), its members (joining follows
// the Group; a member who unfollows stays a member and stops seeing them) and
// its other local followers — each once, boosted by the community unless they
// had the post already.
func TestCommunityPostsOnHomeTimelines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		f.s.SetPorts(&rowPublisher{}, nil, nil) // the relay reads the stored Create
		g, _ := f.community(t, service.CommunityInput{Handle: "seeds", Licence: "MIT", MembershipPolicy: models.PolicyApproval})
		steward, _ := f.s.Accounts.ActorOf(f.ctx, f.root)
		_, maint := f.user(t, "maint")
		_, member := f.user(t, "member")
		_, quitter := f.user(t, "quitter")
		_, reader := f.user(t, "reader")
		_, fan := f.user(t, "fan") // follows the author and the community
		_, author := f.user(t, "author")
		_, outsider := f.user(t, "outsider")
		for _, a := range []*models.Actor{maint, member, quitter, author} {
			m, err := f.s.Communities.Join(f.ctx, a, g, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Communities.DecideMembership(f.ctx, steward, g, m.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Communities.SetRole(f.ctx, steward, g, maint, models.RoleCommunityMaintainer); err != nil {
			t.Fatal(err)
		}
		// The maintainer does not follow the community: roles see posts anyway.
		if fo, err := f.s.Social.FollowOf(f.ctx, maint, g); err != nil {
			t.Fatalf("joining did not follow: %v", err)
		} else if err := f.s.Social.UnfollowByID(f.ctx, maint, fo.ID); err != nil {
			t.Fatal(err)
		}
		if fo, err := f.s.Social.FollowOf(f.ctx, quitter, g); err != nil {
			t.Fatal(err)
		} else if err := f.s.Social.UnfollowByID(f.ctx, quitter, fo.ID); err != nil {
			t.Fatal(err)
		}
		if f.s.Communities.Role(f.ctx, g, quitter) != models.RoleCommunityMember {
			t.Fatal("unfollowing a local community ended the membership")
		}
		for _, a := range []*models.Actor{reader, fan} {
			if _, err := f.s.Social.Follow(f.ctx, a, g, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Social.Follow(f.ctx, fan, author, ""); err != nil {
			t.Fatal(err)
		}
		n, err := f.s.Social.PostNote(f.ctx, author, service.NoteInput{Content: "Seed swap on Saturday", Community: "seeds"})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			who     *models.Actor
			sees    bool
			boosted bool
		}{
			{steward, true, true}, {maint, true, true}, {member, true, true}, {reader, true, true},
			{fan, true, false}, {author, true, false}, {quitter, false, false}, {outsider, false, false},
		}
		for _, c := range cases {
			t.Run(c.who.Username, func(t *testing.T) {
				tl, err := f.s.Social.Timeline(f.ctx, c.who, "", 20)
				if err != nil {
					t.Fatal(err)
				}
				count, boosted := 0, false
				for _, e := range tl {
					if e.Note.ID == n.ID {
						count++
						boosted = e.BoostedBy != nil && e.BoostedBy.ID == g.ID
					}
				}
				if c.sees && (count != 1 || boosted != c.boosted) {
					t.Fatalf("%d entries (want 1), boosted %v (want %v)", count, boosted, c.boosted)
				}
				if !c.sees && count != 0 {
					t.Fatalf("sees the post (%d entries)", count)
				}
			})
		}
	})
}
