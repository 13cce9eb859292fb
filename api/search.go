package api

import (
	"net/http"
	"strconv"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// optionalAuth authenticates when an Authorization header is sent (a bad one
// is a 401 as anywhere) and lets anonymous requests through.
func (a *API) optionalAuth(next echo.HandlerFunc) echo.HandlerFunc {
	authed := a.authenticate(next)
	return func(c echo.Context) error {
		if c.Request().Header.Get(echo.HeaderAuthorization) == "" {
			return next(c)
		}
		return authed(c)
	}
}

type searchTagJSON struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Count int64  `json:"count"`
}

type searchJSON struct {
	Accounts    []*actorJSON    `json:"accounts"`
	Communities []*actorJSON    `json:"communities"`
	Notes       []noteJSON      `json:"notes"`
	Tags        []searchTagJSON `json:"tags"`
	Resolved    bool            `json:"resolved"`
}

// search is GET /api/v1/search?q=&type=&limit=&offset=.
func (a *API) search(c echo.Context) error {
	var reader *models.Actor
	if u := caller(c); u != nil {
		act, err := a.callerActor(c)
		if err != nil {
			return err
		}
		reader = act
	}
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	r, err := a.svc.Search.Run(c.Request().Context(), reader, service.SearchQuery{Q: c.QueryParam("q"), Type: c.QueryParam("type"),
		Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := searchJSON{Accounts: []*actorJSON{}, Communities: []*actorJSON{}, Notes: []noteJSON{}, Tags: []searchTagJSON{}, Resolved: r.Resolved}
	for _, act := range r.Accounts {
		out.Accounts = append(out.Accounts, a.actorView(act))
	}
	for _, act := range r.Communities {
		out.Communities = append(out.Communities, a.actorView(act))
	}
	for _, h := range r.Notes {
		out.Notes = append(out.Notes, a.noteView(&h.Note, h.Author, h.Tags))
	}
	base := a.svc.Cfg.Server.PublicURL
	for _, t := range r.Tags {
		out.Tags = append(out.Tags, searchTagJSON{Name: t.Name, URL: base + "/tags/" + t.Name, Count: t.Count})
	}
	return c.JSON(http.StatusOK, out)
}
