package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type createNoteRequest struct {
	Content    string `json:"content"`
	Visibility string `json:"visibility"`
	Summary    string `json:"summary"`
	Sensitive  bool   `json:"sensitive"`
	InReplyTo  string `json:"in_reply_to"`
}

// createNote is POST /api/v1/notes: publish a note written in Markdown; it goes
// to followers' timelines and servers by visibility (public when absent).
func (a *API) createNote(c echo.Context) error {
	var req createNoteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	n, err := a.svc.Social.PostNote(ctx, me, service.NoteInput{Content: req.Content, Visibility: req.Visibility,
		Summary: req.Summary, Sensitive: req.Sensitive, InReplyTo: req.InReplyTo})
	if err != nil {
		return err
	}
	tags, err := a.svc.Social.NoteTags(ctx, n.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a.noteView(n, me, tags))
}
