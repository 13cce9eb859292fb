package communities

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/store"
)

// profileListSize is how many posts, contributions and communities a profile
// page shows.
const profileListSize = 20

// ProfileView is what a person's profile page shows besides the actor itself:
// their posts the viewer may read, their contributions, the communities they
// belong to, follower and following counts, and the viewer's follow of them.
type ProfileView struct {
	Posts         []social.TimelineEntry
	PostCount     int64
	Followers     int64
	Following     int64
	Follow        *models.Follow // the viewer's follow of the actor (nil: none)
	Communities   []store.CommunityOfMember
	Contributions []models.Contribution
}

// Profile gathers a local or known actor's profile for viewer (nil: anonymous).
// Posts: public and unlisted ones for everyone, followers-only ones too for the
// actor and their accepted followers (what Mastodon shows); never direct ones.
// Communities: those whose member list is public, or all of them on one's own
// profile. Contributions: open, under review and accepted ones.
func (c *Communities) Profile(ctx context.Context, viewer, act *models.Actor) (*ProfileView, error) {
	st := c.d.Store
	v := &ProfileView{}
	own := viewer != nil && viewer.ID == act.ID
	if viewer != nil && !own {
		f, err := c.d.Social.FollowOf(ctx, viewer, act)
		if err != nil {
			return nil, err
		}
		v.Follow = f
	}
	vis := []string{models.VisibilityPublic, models.VisibilityUnlisted}
	if own || (v.Follow != nil && v.Follow.State == models.FollowAccepted) {
		vis = append(vis, models.VisibilityFollowers)
	}
	var err error
	if v.PostCount, err = st.CountNotesBy(ctx, act.ID, vis); err != nil {
		return nil, errs.Internal(err)
	}
	notes, err := st.ListNotesBy(ctx, act.ID, vis, profileListSize, 0)
	if err != nil {
		return nil, errs.Internal(err)
	}
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.ID
	}
	tags, err := st.NoteTagsOf(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	for _, n := range notes {
		v.Posts = append(v.Posts, social.TimelineEntry{ID: n.ID, Note: n, Tags: tags[n.ID], Author: act})
	}
	if v.Followers, err = st.CountFollowers(ctx, act.ID); err != nil {
		return nil, errs.Internal(err)
	}
	if v.Following, err = st.CountFollowing(ctx, act.ID); err != nil {
		return nil, errs.Internal(err)
	}
	if v.Communities, err = st.CommunitiesOf(ctx, act.ID, !own, profileListSize); err != nil {
		return nil, errs.Internal(err)
	}
	if v.Contributions, err = st.ContributionsBy(ctx, act.ID, []string{models.ContributionOpen,
		models.ContributionChangesRequested, models.ContributionAccepted}, profileListSize); err != nil {
		return nil, errs.Internal(err)
	}
	return v, nil
}
