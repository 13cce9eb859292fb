package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type updateNoteRequest struct {
	Content   string `json:"content"`
	Summary   string `json:"summary"`
	Sensitive bool   `json:"sensitive"`
}

// updateNote is PUT /api/v1/notes/{id}: the author replaces a note's text,
// content warning and sensitivity; an Update goes to every server that got it,
// and the note shows as edited (edited_at).
func (a *API) updateNote(c echo.Context) error {
	var req updateNoteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	n, err := a.svc.Social.EditNote(ctx, me, c.Param("id"), service.NoteEdit{Content: req.Content, Summary: req.Summary, Sensitive: req.Sensitive})
	if err != nil {
		return err
	}
	tags, err := a.svc.Social.NoteTags(ctx, n.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.noteView(n, me, tags))
}
