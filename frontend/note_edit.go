package frontend

import (
	"html"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// The edit form of one of the user's own notes (/notes/{id}/edit). After the
// edit the browser goes to the note's URL, which federation sends on to the
// thread page or the author's profile.

type noteEditData struct {
	Note *models.Note
	Form *form
}

func (w *Web) noteEditForm(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	n, err := w.svc.Social.OwnNote(c.Request().Context(), act, c.Param("id"))
	if err != nil {
		return err
	}
	f := newForm()
	// The summary is stored escaped (it is shown as HTML); the form shows its text.
	f.Values["content"], f.Values["summary"] = n.Source, html.UnescapeString(n.Summary)
	if n.Sensitive {
		f.Values["sensitive"] = "on"
	}
	return w.renderNoteEdit(c, http.StatusOK, n, f)
}

func (w *Web) renderNoteEdit(c echo.Context, status int, n *models.Note, f *form) error {
	p := w.page(c, "Edit note")
	p.Data = noteEditData{Note: n, Form: f}
	return w.render(c, status, "note_edit", p)
}

func (w *Web) noteEdit(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	ctx := c.Request().Context()
	n, err := w.svc.Social.OwnNote(ctx, act, c.Param("id"))
	if err != nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"content", "summary", "sensitive"} {
		f.Values[k] = c.FormValue(k)
	}
	in := service.NoteEdit{Content: f.Get("content"), Summary: f.Get("summary"), Sensitive: f.Get("sensitive") != ""}
	if _, err := w.svc.Social.EditNote(ctx, act, n.ID, in); err != nil {
		if errs.Status(err) >= 500 || errs.Status(err) == http.StatusNotFound {
			return err
		}
		f.fail(err, map[string]string{"content": "content"})
		return w.renderNoteEdit(c, statusOf(err), n, f)
	}
	return c.Redirect(http.StatusSeeOther, "/notes/"+n.ID)
}
