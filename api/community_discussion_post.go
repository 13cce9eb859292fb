package api

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type postDiscussionRequest struct {
	Content    string `json:"content"`
	Visibility string `json:"visibility"`
	// InReplyTo makes the post a reply: a note id of this instance or a note URI.
	InReplyTo string `json:"in_reply_to"`
}

// postDiscussion is POST /api/v1/communities/{handle}/discussions {content,
// visibility, in_reply_to}: a post into the community (public or unlisted), or a
// reply in one of its threads, which the community relays to its followers under
// its posting policy.
func (a *API) postDiscussion(c echo.Context) error {
	var req postDiscussionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	parent := strings.TrimSpace(req.InReplyTo)
	if parent != "" && !strings.Contains(parent, "://") {
		n, err := a.svc.Social.LiveNote(ctx, parent)
		if err != nil {
			if errs.Status(err) != http.StatusNotFound {
				return err
			}
			return errs.NotFound("the note replied to was not found")
		}
		parent = n.URI
	}
	n, err := a.svc.Social.PostNote(ctx, me, service.NoteInput{Content: req.Content,
		Visibility: req.Visibility, Community: group.URI, InReplyTo: parent})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, discussionView(n, a.actorRef(me)))
}
