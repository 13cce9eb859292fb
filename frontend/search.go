package frontend

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type searchData struct {
	Q, Type     string
	Error       string
	Searched    bool
	Accounts    []*actorView
	Communities []*actorView
	Notes       []noteView
	Tags        []searchTag
	LoggedIn    bool
}

type searchTag struct {
	Name  string
	Count int64
}

// searchPage is GET /search?q=&type=: people, communities, notes the reader
// may see, and tags (service/search). A GET form, so results have a URL.
func (w *Web) searchPage(c echo.Context) error {
	u, _ := w.current(c)
	d := searchData{Q: c.QueryParam("q"), Type: c.QueryParam("type"), LoggedIn: u != nil}
	status := http.StatusOK
	if strings.TrimSpace(d.Q) != "" {
		var reader *models.Actor
		if u != nil {
			act, err := w.svc.Accounts.ActorOf(c.Request().Context(), u)
			if err != nil {
				return err
			}
			reader = act
		}
		r, err := w.svc.Search.Run(c.Request().Context(), reader, service.SearchQuery{Q: d.Q, Type: d.Type, Limit: 20})
		if err != nil {
			d.Error = errs.Message(err)
			status = statusOf(err)
		} else {
			d.Searched = true
			for _, a := range r.Accounts {
				d.Accounts = append(d.Accounts, w.actorView(a))
			}
			for _, a := range r.Communities {
				v := w.actorView(a)
				if a.Local() {
					v.Href = "/c/" + a.Username
				}
				d.Communities = append(d.Communities, v)
			}
			for _, h := range r.Notes {
				n := h.Note
				url := n.URL
				if url == "" {
					url = n.URI
				}
				d.Notes = append(d.Notes, noteView{NoteID: n.ID, URL: url, Author: w.actorView(h.Author),
					Content: template.HTML(n.Content), Summary: template.HTML(n.Summary), Sensitive: n.Sensitive,
					Attachments: n.Attachments, Visibility: n.Visibility, Published: n.Published})
			}
			for _, t := range r.Tags {
				d.Tags = append(d.Tags, searchTag{Name: t.Name, Count: t.Count})
			}
		}
	}
	title := "Search"
	if d.Q != "" {
		title = "Search: " + d.Q
	}
	p := w.page(c, title)
	p.Data = d
	return w.render(c, status, "search", p)
}
