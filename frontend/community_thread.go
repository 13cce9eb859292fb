package frontend

import (
	"github.com/commonsd/commonsd/content"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// The thread page of a community post: the post, its replies oldest first, each
// reply to the post with its own replies nested under it (deeper replies shown
// in that nested list, "in reply to" their parent's author), the like count of
// every note, and a reply form.

type replyView struct {
	Note     models.Note
	Author   *person
	ReplyTo  *person // the author of the reply's parent when it is neither the post nor the nesting reply
	Likes    int64
	Children []replyView       // replies under this reply to the post (one level of nesting)
	Poll     *service.PollView // the reply's poll when it is a remote Question
}

type threadData struct {
	Group        *models.Actor
	Path         string // the community page
	ThreadPath   string
	Post         models.Note
	Body         string // the post's HTML without its first line when that is its title
	Author       *person
	Replies      []replyView // replies to the post, with their own replies nested
	ReplyCount   int
	PostLikes    int64
	Viewer       *models.Actor
	IsMaintainer bool
	MayPost      bool // by the posting policy (the lock aside)
	Form         *form
	Notice       string
	PostPoll     *service.PollView // the post's poll when it is a remote Question
	PollCSRF     string            // the poll forms' token, for a signed-in viewer only
}

var threadNotices = map[string]string{"voted": "Your vote was sent.", "replied": "Your reply was published.", "locked": "Thread locked.", "unlocked": "Thread unlocked."}

func threadPath(group *models.Actor, noteID string) string {
	return communityPath(group) + "/posts/" + noteID
}

// communityRank orders community roles; policyRank is the rank a policy asks for.
func communityRank(role string) int {
	return map[string]int{models.RoleCommunityMember: 1, models.RoleCommunityMaintainer: 2, models.RoleCommunitySteward: 3}[role]
}

func policyRank(policy string) int {
	return map[string]int{models.PolicyOpen: 0, models.PolicyMembers: 1, models.PolicyMaintainers: 2}[policy]
}

func (w *Web) threadPage(c echo.Context) error {
	notice := threadNotices[c.QueryParam("done")]
	return w.renderThread(c, http.StatusOK, func(d *threadData) { d.Notice = notice })
}

func (w *Web) renderThread(c echo.Context, status int, edit func(*threadData)) error {
	ctx := c.Request().Context()
	group, com, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	post, replies, err := w.svc.Communities.Thread(ctx, group, c.Param("id"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	ppl := w.people(ctx)
	d := &threadData{Group: group, Path: communityPath(group), ThreadPath: threadPath(group, post.ID), Post: *post,
		Author: ppl.id(post.AuthorID), Viewer: me, Form: newForm()}
	if me != nil {
		rank := communityRank(w.svc.Communities.Role(ctx, group, me))
		d.IsMaintainer = rank >= 2
		d.MayPost = rank >= policyRank(com.PostingPolicy)
	}
	likes, err := w.svc.Communities.LikeCounts(ctx, append(replies, *post)...)
	if err != nil {
		return err
	}
	d.PostLikes, d.ReplyCount = likes[post.URI], len(replies)
	d.Body = content.WithoutTitle(post.Content, post.Name)
	d.Replies = nestReplies(ppl, post, replies, likes)
	if err := w.threadPolls(c, d, append(replies, *post)); err != nil {
		return err
	}
	if edit != nil {
		edit(d)
	}
	title := post.Name
	if title == "" {
		title = "Post in " + displayName(group)
	}
	p := w.page(c, title)
	if me != nil {
		d.PollCSRF = p.CSRF
	}
	p.Data = d
	return w.render(c, status, "community_thread", p)
}

// threadPolls sets the polls of the thread's remote Questions (the post or
// any reply: a Mastodon poll addressed to the community, another
// community's proposal), read in one service call, as the viewer sees them.
func (w *Web) threadPolls(c echo.Context, d *threadData, notes []models.Note) error {
	ids := make([]string, len(notes))
	for i := range notes {
		ids[i] = notes[i].ID
	}
	polls, err := w.svc.Governance.Polls(c.Request().Context(), d.Viewer, ids)
	if err != nil {
		return err
	}
	d.PostPoll = polls[d.Post.ID]
	for i := range d.Replies {
		d.Replies[i].Poll = polls[d.Replies[i].Note.ID]
		for j := range d.Replies[i].Children {
			d.Replies[i].Children[j].Poll = polls[d.Replies[i].Children[j].Note.ID]
		}
	}
	return nil
}

// threadReply posts a reply into the thread. Refusals of the service (empty 422,
// locked 403, posting policy 403) are shown on the thread page with their status.
func (w *Web) threadReply(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	post, _, err := w.svc.Communities.Thread(ctx, group, c.Param("id"))
	if err != nil {
		return err
	}
	text := c.FormValue("content")
	_, err = w.svc.Social.PostNote(ctx, me, service.NoteInput{Content: text, Visibility: models.VisibilityPublic,
		InReplyTo: post.URI, Community: group.Username})
	if err != nil {
		switch errs.Status(err) {
		case http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusConflict:
		default:
			return err
		}
		return w.renderThread(c, statusOf(err), func(d *threadData) {
			d.Form.Values["content"] = text
			d.Form.fail(err, map[string]string{"content": "content"})
		})
	}
	return c.Redirect(http.StatusSeeOther, threadPath(group, post.ID)+"?done=replied#replies")
}

// nestReplies arranges a thread's replies (oldest first) in two levels: the
// replies to the post, and under each one every later reply that descends
// from it. A reply whose parent is unknown here is shown at the top level.
func nestReplies(ppl *people, post *models.Note, replies []models.Note, likes map[string]int64) []replyView {
	parent := map[string]string{}
	author := map[string]string{post.URI: post.AuthorID}
	for _, r := range replies {
		parent[r.URI], author[r.URI] = r.InReplyToURI, r.AuthorID
	}
	// top finds the reply to the post a note descends from ("" if none).
	top := func(uri string) string {
		for i := 0; i < len(replies)+1; i++ {
			p, ok := parent[uri]
			if !ok {
				return ""
			}
			if p == post.URI {
				return uri
			}
			uri = p
		}
		return "" // a cycle: show it at the top level
	}
	var out []replyView
	index := map[string]int{}
	for _, r := range replies {
		rv := replyView{Note: r, Author: ppl.id(r.AuthorID), Likes: likes[r.URI]}
		root := top(r.URI)
		if i, ok := index[root]; ok && root != r.URI {
			if r.InReplyToURI != root {
				if id, ok := author[r.InReplyToURI]; ok {
					rv.ReplyTo = ppl.id(id)
				}
			}
			out[i].Children = append(out[i].Children, rv)
			continue
		}
		if r.InReplyToURI != post.URI {
			if id, ok := author[r.InReplyToURI]; ok {
				rv.ReplyTo = ppl.id(id)
			}
		}
		index[r.URI] = len(out)
		out = append(out, rv)
	}
	return out
}
