package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type postDiscussionRequest struct {
	Content    string `json:"content"`
	Visibility string `json:"visibility"`
}

// postDiscussion is POST /api/v1/communities/{handle}/discussions {content,
// visibility}: a post into the community (public or unlisted), which the
// community relays to its followers under its posting policy.
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
	n, err := a.svc.Social.PostNote(c.Request().Context(), me, service.NoteInput{Content: req.Content,
		Visibility: req.Visibility, Community: group.URI})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, discussionView(n, a.actorRef(me)))
}
