package frontend

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Editing a community (issue 10 §3): the stewards' settings form and the
// public history of the charter and licence. The rules (stewards only, the
// licence applies forward, what counts as a new charter version) are
// Communities.Update's.

func (w *Web) registerCommunityEditing(e router) {
	e.GET("/c/:name/settings", w.communitySettingsForm)
	e.POST("/c/:name/settings", w.communitySettingsSave)
	e.GET("/c/:name/charter/history", w.charterHistoryPage) // /c/:name/charter is the charter tab
}

type communitySettingsData struct {
	Group    *models.Actor
	Path     string
	Form     *form
	Links    []models.Field
	Licences []option
	Policies map[string][]option
	Notice   string
}

func (w *Web) communitySettingsForm(c echo.Context) error {
	me, group, com, err := w.actingMember(c)
	if me == nil {
		return err
	}
	if w.svc.Communities.Role(c.Request().Context(), group, me) != models.RoleCommunitySteward {
		return errs.Forbidden("only stewards may edit the community")
	}
	in := service.CommunitySettings(group, com)
	f := newForm()
	f.Values = map[string]string{"name": in.Name, "summary": in.Summary, "licence": in.Licence, "charter": in.Charter,
		"posting_policy": in.PostingPolicy, "offer_policy": in.OfferPolicy, "membership_policy": in.MembershipPolicy,
		"weight_min": strconv.Itoa(in.WeightMin), "weight_max": strconv.Itoa(in.WeightMax)}
	if in.MembersPublic {
		f.Values["members_public"] = "on"
	}
	if in.ApproveFollowers {
		f.Values["approve_followers"] = "on"
	}
	notice := ""
	if c.QueryParam("done") == "saved" {
		notice = "Settings saved."
	}
	return w.communitySettingsPage(c, http.StatusOK, group, f, in.Links, notice)
}

func (w *Web) communitySettingsPage(c echo.Context, status int, group *models.Actor, f *form, links []models.Field, notice string) error {
	for len(links) < maxLinkRows {
		links = append(links, models.Field{})
	}
	p := w.page(c, "Settings of "+displayName(group))
	p.Data = communitySettingsData{Group: group, Path: communityPath(group), Form: f, Links: links,
		Licences: licenceOptions(), Policies: policyOptions, Notice: notice}
	return w.render(c, status, "community_settings", p)
}

// communitySettingsSave sends the whole form as one patch: what did not
// change changes nothing (no Update{Group}, no charter version).
func (w *Web) communitySettingsSave(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"name", "summary", "licence", "charter", "posting_policy", "offer_policy",
		"membership_policy", "members_public", "approve_followers", "weight_min", "weight_max"} {
		f.Values[k] = c.FormValue(k)
	}
	names, urls := c.Request().Form["link_name"], c.Request().Form["link_url"]
	var shown, links []models.Field
	for i := 0; i < len(urls) && i < maxLinkRows; i++ {
		l := models.Field{Value: strings.TrimSpace(urls[i])}
		if i < len(names) {
			l.Name = strings.TrimSpace(names[i])
		}
		shown = append(shown, l)
		if l.Value != "" {
			if l.Name == "" {
				l.Name = "Link"
			}
			links = append(links, l)
		}
	}
	str := func(k string) *string { v := f.Get(k); return &v }
	on := func(k string) *bool { v := f.Get(k) != ""; return &v }
	p := service.CommunityPatch{Name: str("name"), Summary: str("summary"), Licence: str("licence"), Charter: str("charter"),
		Links: &links, PostingPolicy: str("posting_policy"), OfferPolicy: str("offer_policy"),
		MembershipPolicy: str("membership_policy"), MembersPublic: on("members_public"), ApproveFollowers: on("approve_followers")}
	min, errMin := strconv.Atoi(strings.TrimSpace(f.Get("weight_min")))
	max, errMax := strconv.Atoi(strings.TrimSpace(f.Get("weight_max")))
	if errMin != nil || errMax != nil {
		f.Errors["weights"] = "ledger weights must be whole numbers"
		return w.communitySettingsPage(c, http.StatusUnprocessableEntity, group, f, shown, "")
	}
	p.WeightMin, p.WeightMax = &min, &max
	if _, err := w.svc.Communities.Update(c.Request().Context(), me, group, p); err != nil {
		if s := errs.Status(err); s >= 500 || s == http.StatusNotFound || s == http.StatusForbidden {
			return err
		}
		f.fail(err, communityFields)
		return w.communitySettingsPage(c, statusOf(err), group, f, shown, "")
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/settings?done=saved")
}

type charterVersionView struct {
	models.CharterVersion
	Author      *person
	LicenceName string
}

type charterHistoryData struct {
	Group     *models.Actor
	Path      string
	Versions  []charterVersionView
	IsSteward bool
}

func (w *Web) charterHistoryPage(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	list, err := w.svc.Communities.CharterHistory(ctx, group)
	if err != nil {
		return err
	}
	ppl := w.people(ctx)
	d := charterHistoryData{Group: group, Path: communityPath(group)}
	for _, v := range list {
		cv := charterVersionView{CharterVersion: v, LicenceName: service.LicenceName(v.Licence)}
		if v.AuthorID != "" {
			cv.Author = ppl.id(v.AuthorID)
		}
		d.Versions = append(d.Versions, cv)
	}
	if _, me := w.viewer(c); me != nil {
		d.IsSteward = w.svc.Communities.Role(ctx, group, me) == models.RoleCommunitySteward
	}
	p := w.page(c, "Charter history of "+displayName(group))
	p.Data = d
	return w.render(c, http.StatusOK, "community_charter", p)
}
