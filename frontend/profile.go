package frontend

import (
	"html/template"
	"net/http"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type profileData struct {
	Actor  *models.Actor
	Handle string
	Fields []models.Field
	Badge  string // Group, Organization or Application; empty for people
	Own    bool   // the viewer's own profile
	Viewer *models.Actor

	View          *service.ProfileView
	Posts         []noteView
	Communities   []*person
	Contributions []contributionView
	// An organization's announcements (issue 12); MayAnnounce for its admins.
	Announcements []*service.AnnouncementView
	MayAnnounce   bool
	// Partnerships of an organization with communities here or elsewhere
	// (issue 12), each linking to its partner page.
	Partnerships []partnershipLink
	// OrgAdmin: the viewer administers this organization (the logo form).
	OrgAdmin bool
	// AskForm is the partnership request form, with what was typed and the
	// errors when a request was refused (issue 10: nothing typed is lost).
	AskForm *form
}

type partnershipLink struct {
	Community, Path, State string
}

var badges = map[string]string{
	models.ActorGroup: "Group", models.ActorOrganization: "Organization", models.ActorApplication: "Application",
}

// profile is /@name.
func (w *Web) profile(c echo.Context) error {
	name := c.Param("name")
	if name == service.InstanceActorName {
		return c.Redirect(http.StatusMovedPermanently, "/about")
	}
	return w.renderProfile(c, name)
}

func (w *Web) renderProfile(c echo.Context, name string) error {
	return w.renderProfileWith(c, name, http.StatusOK, newForm())
}

// renderProfileWith renders a profile with status, ask being the
// organization's partnership request form as typed.
func (w *Web) renderProfileWith(c echo.Context, name string, status int, ask *form) error {
	act, err := w.svc.Actors.LocalByHandle(c.Request().Context(), name)
	if err != nil {
		return err
	}
	if _, err := w.svc.Communities.ByActor(c.Request().Context(), act); err == nil {
		return w.renderCommunity(c, act.Username, http.StatusOK, nil) // a local community
	}
	ctx := c.Request().Context()
	u, me := w.viewer(c)
	d := profileData{Actor: act, Handle: "@" + act.Username + "@" + w.host, Fields: service.Fields(act),
		Badge: badges[act.Type], Own: u != nil && u.ActorID == act.ID, Viewer: me}
	if d.View, err = w.svc.Communities.Profile(ctx, me, act); err != nil {
		return err
	}
	for _, e := range d.View.Posts {
		n := e.Note
		url := n.URL
		if url == "" {
			url = n.URI
		}
		d.Posts = append(d.Posts, noteView{NoteID: n.ID, URL: url, Author: w.actorView(e.Author),
			Content: template.HTML(n.Content), Summary: template.HTML(n.Summary), Sensitive: n.Sensitive,
			Attachments: n.Attachments, Visibility: n.Visibility, Published: n.Published, EditedAt: n.EditedAt, Own: d.Own})
	}
	for i := range d.View.Communities {
		p := w.personOf(&d.View.Communities[i].Group)
		p.URL = communityPath(&d.View.Communities[i].Group)
		d.Communities = append(d.Communities, p)
	}
	d.Contributions = w.people(ctx).contributions(d.View.Contributions)
	if act.Type == models.ActorOrganization {
		d.OrgAdmin = me != nil && w.svc.Economy.IsAdmin(ctx, act, me)
		d.AskForm = ask
		if d.Announcements, err = w.svc.Economy.AnnouncementsBy(ctx, act, "", 20, 0); err != nil {
			return err
		}
		d.MayAnnounce = d.OrgAdmin
		list, err := w.svc.Economy.OrganizationPartnerships(ctx, act, 50, 0)
		if err != nil {
			return err
		}
		for _, p := range list {
			d.Partnerships = append(d.Partnerships, partnershipLink{Community: w.personOf(p.Community).Handle,
				Path: partnersPath(p.Community) + "/" + p.ID, State: p.State})
		}
	}
	title := act.Name
	if title == "" {
		title = act.Username
	}
	p := w.page(c, title+" ("+d.Handle+")")
	p.Data = d
	return w.render(c, status, "profile", p)
}

type aboutData struct {
	Info   instanceInfo
	Actor  *models.Actor
	Handle string
}

// about is the instance actor's page: what the instance is and its numbers.
func (w *Web) about(c echo.Context) error {
	info, err := w.instanceInfo(c)
	if err != nil {
		return err
	}
	act, err := w.svc.Actors.Instance(c.Request().Context())
	if err != nil {
		return err
	}
	p := w.page(c, "About "+info.Name)
	p.Data = aboutData{Info: info, Actor: act, Handle: "@" + act.Username + "@" + w.host}
	return w.render(c, http.StatusOK, "about", p)
}
