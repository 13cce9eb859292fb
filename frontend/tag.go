package frontend

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

type tagData struct {
	Tag   string
	Notes []noteView
}

// tag is /tags/:name, where hashtag links point: the newest public notes with it.
func (w *Web) tag(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("name"), "#")
	entries, err := w.svc.Social.Tagged(c.Request().Context(), name, 40)
	if err != nil {
		return err
	}
	d := tagData{Tag: strings.ToLower(name)}
	for _, e := range entries {
		n := e.Note
		url := n.URL
		if url == "" {
			url = n.URI
		}
		d.Notes = append(d.Notes, noteView{NoteID: n.ID, URL: url, Author: w.actorView(e.Author),
			Content: template.HTML(n.Content), Summary: template.HTML(n.Summary), Sensitive: n.Sensitive,
			Attachments: n.Attachments, Visibility: n.Visibility, Published: n.Published})
	}
	p := w.page(c, "#"+d.Tag)
	p.Data = d
	return w.render(c, http.StatusOK, "tag", p)
}
