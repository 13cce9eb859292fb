package frontend

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

type tagData struct {
	Tag    string
	Notes  []noteView
	Notice string
	Back   string // this page, where a poll vote returns
	CSRF   string // set for a signed-in viewer only: the poll forms need it
}

// tag is /tags/:name, where hashtag links point: the newest public notes with it.
func (w *Web) tag(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("name"), "#")
	entries, err := w.svc.Social.Tagged(c.Request().Context(), name, 40)
	if err != nil {
		return err
	}
	d := tagData{Tag: strings.ToLower(name), Back: "/tags/" + url.PathEscape(strings.ToLower(name))}
	if c.QueryParam("done") == "voted" {
		d.Notice = "Your vote was sent."
	}
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
	_, viewer := w.viewer(c)
	if err := w.attachPolls(c, viewer, d.Notes); err != nil {
		return err
	}
	p := w.page(c, "#"+d.Tag)
	if viewer != nil {
		d.CSRF = p.CSRF
	}
	p.Data = d
	return w.render(c, http.StatusOK, "tag", p)
}
