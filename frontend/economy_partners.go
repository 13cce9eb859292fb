package frontend

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Partners (issue 12): a community's partners page (its stewards also see
// and answer the open requests) and each partner's page, the reciprocity
// pledge against what the partner delivered, from the ledger. A remote
// community known here has the same pages at /c/name@host/partners: its
// partners as its Add and Remove told us (read only).

func (w *Web) registerPartners(e router) {
	e.GET("/c/:name/partners", w.partnersPage)
	e.GET("/c/:name/partners/:id", w.partnerPage)
	e.POST("/c/:name/partners/:id/decide", w.partnerDecide)
	e.POST("/c/:name/partners/:id/end", w.partnerEnd)
	w.registerDisbursement(e)
	w.registerAppealEdit(e)
	w.registerOrganizationLogo(e)
	w.registerPartnerRequest(e)
}

type partnersData struct {
	Group    *models.Actor
	Path     string // /c/name or /c/name@host
	Active   []service.Partnership
	Requests []service.Partnership
	Steward  bool
	Done     string
}

func (w *Web) partnersPage(c echo.Context) error {
	ctx := c.Request().Context()
	group, err := w.svc.Economy.KnownCommunity(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	d := partnersData{Group: group, Path: partnersPath(group), Steward: w.svc.Economy.MayManage(ctx, me, group), Done: c.QueryParam("done")}
	if d.Active, err = w.svc.Economy.CommunityPartnerships(ctx, group, models.PartnershipActive, 200, 0); err != nil {
		return err
	}
	if d.Steward {
		if d.Requests, err = w.svc.Economy.CommunityPartnerships(ctx, group, models.PartnershipRequested, 200, 0); err != nil {
			return err
		}
	}
	p := w.page(c, "Partners of "+displayName(group))
	p.Data = d
	return w.render(c, http.StatusOK, "partners", p)
}

type partnerData struct {
	*service.PartnerView
	Path            string
	MayEnd, Steward bool
}

// partnersPath is the community's partners page.
func partnersPath(group *models.Actor) string {
	if group.Local() {
		return communityPath(group) + "/partners"
	}
	return "/c/" + group.Username + "@" + group.Domain + "/partners"
}

// partnership loads the partnership of the route, in the community of the route.
func (w *Web) partnership(c echo.Context) (*service.PartnerView, error) {
	ctx := c.Request().Context()
	group, err := w.svc.Economy.KnownCommunity(ctx, c.Param("name"))
	if err != nil {
		return nil, err
	}
	v, err := w.svc.Economy.PartnerPage(ctx, c.Param("id"))
	if err != nil || v.CommunityID != group.ID {
		return nil, errs.NotFound("partnership not found")
	}
	return v, nil
}

func (w *Web) partnerPage(c echo.Context) error {
	v, err := w.partnership(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, me := w.viewer(c)
	d := partnerData{PartnerView: v, Path: partnersPath(v.Community), Steward: w.svc.Economy.MayManage(ctx, me, v.Community)}
	d.MayEnd = v.State != models.PartnershipEnded && (d.Steward || w.svc.Economy.IsAdmin(ctx, v.Organization, me))
	p := w.page(c, displayName(v.Organization)+" — partner of "+displayName(v.Community))
	p.Data = d
	return w.render(c, http.StatusOK, "partner", p)
}

func (w *Web) partnerDecide(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	v, err := w.partnership(c)
	if err != nil {
		return err
	}
	var accept bool
	switch c.FormValue("decision") {
	case "accept":
		accept = true
	case "decline":
	default:
		return errs.BadRequest("decision must be accept or decline")
	}
	if _, err := w.svc.Economy.DecidePartnership(c.Request().Context(), u, v.ID, accept); err != nil {
		return w.communityError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, partnersPath(v.Community)+"/"+v.ID)
}

func (w *Web) partnerEnd(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	v, err := w.partnership(c)
	if err != nil {
		return err
	}
	if _, err := w.svc.Economy.EndPartnership(c.Request().Context(), u, v.ID); err != nil {
		return w.communityError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, partnersPath(v.Community)+"/"+v.ID)
}
