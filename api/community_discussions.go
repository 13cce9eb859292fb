package api

import (
	"github.com/commonsd/commonsd/models"
	"net/http"

	"github.com/labstack/echo/v4"
)

// communityDiscussions is GET /api/v1/communities/{handle}/discussions?limit&offset:
// top-level posts, newest first (for a remote community, those this instance has).
func (a *API) communityDiscussions(c echo.Context) error {
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	notes, err := a.svc.Communities.Discussions(ctx, group, limit, offset)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(notes))
	for _, n := range notes {
		ids = append(ids, n.AuthorID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	out := make([]discussionJSON, 0, len(notes))
	for i := range notes {
		out = append(out, discussionView(&notes[i], refs[notes[i].AuthorID]))
	}
	return c.JSON(http.StatusOK, out)
}

type threadJSON struct {
	Post    discussionJSON   `json:"post"`
	Replies []discussionJSON `json:"replies"`
}

// communityThread is GET /api/v1/communities/{handle}/discussions/{note}: a
// top-level post and its public replies, oldest first (replies to replies
// included, each with its in_reply_to).
func (a *API) communityThread(c echo.Context) error {
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	post, replies, err := a.svc.Communities.Thread(ctx, group, c.Param("note"))
	if err != nil {
		return err
	}
	ids := []string{post.AuthorID}
	for _, r := range replies {
		ids = append(ids, r.AuthorID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	likes, err := a.svc.Communities.LikeCounts(ctx, append(replies, *post)...)
	if err != nil {
		return err
	}
	view := func(n *models.Note) discussionJSON {
		v := discussionView(n, refs[n.AuthorID])
		l := likes[n.URI]
		v.Likes = &l
		return v
	}
	out := threadJSON{Post: view(post), Replies: make([]discussionJSON, 0, len(replies))}
	for i := range replies {
		out.Replies = append(out.Replies, view(&replies[i]))
	}
	return c.JSON(http.StatusOK, out)
}
