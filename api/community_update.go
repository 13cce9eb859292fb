package api

import (
	"net/http"
	"time"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// registerEditing mounts editing and revisions (issue 10 §3): community
// settings and their charter history, revisions of contributions.
func (a *API) registerEditing(g *echo.Group) {
	auth, viewer := a.authenticate, a.communityViewer
	g.PATCH("/communities/:handle", a.updateCommunity, auth)
	g.GET("/communities/:handle/charter", a.charterHistory, viewer)
}

// updateCommunity is PATCH /api/v1/communities/{handle}: a steward changes the
// community's settings; fields left out stay as they are. The change goes out
// as Update{Group}; a charter or licence change adds a charter version.
func (a *API) updateCommunity(c echo.Context) error {
	var p service.CommunityPatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	com, err := a.svc.Communities.Update(ctx, me, group, p)
	if err != nil {
		return err
	}
	v, err := a.communityView(ctx, group, com, true, me)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type charterVersionJSON struct {
	Version     int           `json:"version"`
	Charter     string        `json:"charter"`
	CharterHTML string        `json:"charter_html"`
	Licence     licenceJSON   `json:"licence"`
	Author      *actorRefJSON `json:"author"`      // null when unknown
	ProposalID  string        `json:"proposal_id"` // "" unless a proposal decided it
	CreatedAt   time.Time     `json:"created_at"`
}

// charterHistory is GET /api/v1/communities/{handle}/charter: the versions of
// the community's charter and licence, newest first.
func (a *API) charterHistory(c echo.Context) error {
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	versions, err := a.svc.Communities.CharterHistory(ctx, group)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(versions))
	for _, v := range versions {
		if v.AuthorID != "" {
			ids = append(ids, v.AuthorID)
		}
	}
	authors, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	out := make([]charterVersionJSON, 0, len(versions))
	for _, v := range versions {
		j := charterVersionJSON{Version: v.Version, Charter: v.Charter, CharterHTML: v.CharterHTML,
			Licence: licenceView(v.Licence), ProposalID: v.ProposalID, CreatedAt: v.CreatedAt.UTC()}
		if r, ok := authors[v.AuthorID]; ok {
			j.Author = &r
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, out)
}
