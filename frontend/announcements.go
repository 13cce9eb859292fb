package frontend

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Coalition announcements (issue 12): the form an organization's admin
// publishes with, an announcement's page (a bounty's claims, payouts and the
// organization's payment confirmation), a community's announcements page
// (the maintainers approve or ignore the held ones), and each
// organization's announcements as RSS and Atom. The organization's profile
// lists them (profile.go).

func (w *Web) registerAnnouncements(e router) {
	e.GET("/announcements/new", w.announcementNewPage)
	e.POST("/announcements", w.announcementCreate)
	e.POST("/announcements/:id/confirm_payment", w.announcementConfirmPayment)
	e.GET("/c/:name/announcements", w.communityAnnouncementsPage)
	e.POST("/c/:name/announcements/:id/decide", w.communityAnnouncementDecide)
	e.GET("/@:name/announcements.rss", feedRSS(w.announcementsFeed))
	e.GET("/@:name/announcements.atom", feedAtom(w.announcementsFeed))
}

// announcementFields maps the service's words to the form's fields.
var announcementFields = map[string]string{"organization": "as", "kind": "kind", "title": "title", "what": "body",
	"whom": "for_whom", "price": "price", "payout": "price", "pay note": "pay_note", "date": "at", "event": "at",
	"link": "link", "communit": "communities"}

type announcementFormData struct {
	Form       *form
	Kinds      []option
	Currencies []string
}

func announcementKinds() []option {
	out := make([]option, 0, len(models.AnnouncementKinds))
	for _, k := range models.AnnouncementKinds {
		out = append(out, option{Value: k, Label: service.AnnouncementKindName(k)})
	}
	return out
}

func (w *Web) announcementNewPage(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	f := newForm()
	f.Values["as"], f.Values["kind"], f.Values["currency"] = c.QueryParam("as"), models.AnnouncementJob, "EUR"
	f.Values["communities"] = c.QueryParam("to")
	return w.renderAnnouncementForm(c, http.StatusOK, f)
}

func (w *Web) renderAnnouncementForm(c echo.Context, status int, f *form) error {
	p := w.page(c, "Publish an announcement")
	p.Data = announcementFormData{Form: f, Kinds: announcementKinds(), Currencies: models.Currencies()}
	return w.render(c, status, "announcement_new", p)
}

// atLayout is how the form's date-time field reads and writes (UTC).
const atLayout = "2006-01-02T15:04"

func (w *Web) announcementCreate(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"as", "kind", "title", "body", "for_whom", "price", "currency", "pay_note", "at", "link", "communities"} {
		f.Values[k] = c.FormValue(k)
	}
	var at time.Time
	if s := strings.TrimSpace(f.Get("at")); s != "" {
		if at, err = time.ParseInLocation(atLayout, s, time.UTC); err != nil {
			f.invalid("at", "the date reads as 2027-01-31T18:00 (UTC)")
			return w.renderAnnouncementForm(c, http.StatusUnprocessableEntity, f)
		}
	}
	price := strings.TrimSpace(f.Get("price"))
	v, err := w.svc.Economy.PublishAnnouncement(c.Request().Context(), u, service.AnnouncementInput{As: f.Get("as"),
		Kind: f.Get("kind"), Title: f.Get("title"), Body: f.Get("body"), ForWhom: f.Get("for_whom"), Price: price,
		Currency: f.Get("currency"), PayNote: f.Get("pay_note"), At: at, Link: f.Get("link"),
		Communities: strings.FieldsFunc(f.Get("communities"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' })})
	if err != nil {
		if errs.Status(err) == http.StatusUnauthorized || errs.Status(err) >= 500 {
			return err
		}
		f.fail(err, announcementFields)
		return w.renderAnnouncementForm(c, statusOf(err), f)
	}
	return c.Redirect(http.StatusSeeOther, "/announcements/"+v.ID+"?done=published")
}

type announcementData struct {
	*service.BountyView
	Content     template.HTML
	PriceLabel  string
	PriceText   string
	AtLabel     string
	Admin       bool // the viewer acts for its organization
	ClaimPath   string
	Entries     []entryView
	Done        string
	OriginalURL string // a remote announcement's page at its origin
}

// AnnouncementPage is /announcements/{id} for browsers (ActivityPub clients
// get the Note: federation). Remote announcements known here are shown too.
func (w *Web) AnnouncementPage(c echo.Context) error {
	ctx := c.Request().Context()
	bv, err := w.svc.Economy.Bounty(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	d := announcementData{BountyView: bv, Content: template.HTML(bv.BodyHTML), PriceLabel: service.AnnouncementPriceLabel(bv.Kind),
		PriceText: service.AnnouncementPriceText(bv.Announcement), AtLabel: service.AnnouncementAtLabel(bv.Kind), Done: c.QueryParam("done")}
	if !bv.Local {
		d.OriginalURL = bv.URL
	}
	if _, me := w.viewer(c); me != nil {
		d.Admin = bv.Local && w.svc.Economy.IsAdmin(ctx, bv.Author, me)
	}
	if bv.Kind == models.AnnouncementBounty && bv.State == models.AnnouncementOpen {
		for _, g := range bv.Communities {
			if g.Local() {
				d.ClaimPath = communityPath(g) + "/offer?bounty=" + bv.ID
				break
			}
		}
	}
	if len(bv.Entries) > 0 {
		actors, err := w.svc.Economy.EntryActors(ctx, bv.Entries)
		if err != nil {
			return err
		}
		for i := range bv.Entries {
			e := &bv.Entries[i]
			d.Entries = append(d.Entries, entryView{Entry: *e, Provider: actors[e.ProviderID], Receiver: actors[e.ReceiverID], Amount: e.Money()})
		}
	}
	p := w.page(c, service.AnnouncementKindName(bv.Kind)+": "+bv.Title)
	p.Data = d
	return w.render(c, http.StatusOK, "announcement", p)
}

func (w *Web) announcementConfirmPayment(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	if _, err := w.svc.Economy.ConfirmBountyPaid(c.Request().Context(), u, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/announcements/"+c.Param("id")+"?done=paid")
}

type communityAnnouncementsData struct {
	Group                    *models.Actor
	Path                     string
	Maintainer               bool
	Announced, Held, Ignored []service.CommunityAnnouncement
	Done                     string
}

func (w *Web) communityAnnouncementsPage(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	d := communityAnnouncementsData{Group: group, Path: communityPath(group), Done: c.QueryParam("done"),
		Maintainer: w.svc.Economy.MayModerateAnnouncements(ctx, me, group)}
	if d.Announced, err = w.svc.Economy.CommunityAnnouncements(ctx, me, group, models.RelayAnnounced, 100, 0); err != nil {
		return err
	}
	if d.Maintainer {
		if d.Held, err = w.svc.Economy.CommunityAnnouncements(ctx, me, group, models.RelayHeld, 100, 0); err != nil {
			return err
		}
		if d.Ignored, err = w.svc.Economy.CommunityAnnouncements(ctx, me, group, models.RelayIgnored, 20, 0); err != nil {
			return err
		}
	}
	p := w.page(c, "Announcements in "+displayName(group))
	p.Data = d
	return w.render(c, http.StatusOK, "community_announcements", p)
}

func (w *Web) communityAnnouncementDecide(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	var approve bool
	switch c.FormValue("decision") {
	case "approve":
		approve = true
	case "ignore":
	default:
		return errs.BadRequest("decision must be approve or ignore")
	}
	if err := w.svc.Economy.DecideAnnouncement(ctx, me, group, c.Param("id"), approve); err != nil {
		return w.communityError(c, err)
	}
	done := "ignored"
	if approve {
		done = "announced"
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/announcements?done="+done)
}

// announcementsFeed lists an organization's announcements, newest first.
func (w *Web) announcementsFeed(c echo.Context) (*feeds.Feed, error) {
	ctx := c.Request().Context()
	org, _, err := w.svc.Economy.Organization(ctx, c.Param("name"))
	if err != nil {
		return nil, err
	}
	list, err := w.svc.Economy.AnnouncementsBy(ctx, org, "", feedItems, 0)
	if err != nil {
		return nil, err
	}
	base := w.cfg.Server.PublicURL
	f := &feeds.Feed{Title: "Announcements of " + displayName(org), Link: &feeds.Link{Href: base + "/@" + org.Username},
		Description: "Jobs, services, goods, bounties and events of " + displayName(org), Id: base + "/@" + org.Username + "/announcements"}
	for _, v := range list {
		f.Items = append(f.Items, &feeds.Item{Title: service.AnnouncementKindName(v.Kind) + ": " + v.Title, Id: v.URI,
			Link: &feeds.Link{Href: v.URL}, Author: &feeds.Author{Name: displayName(org)},
			Description: service.AnnouncementHTML(v), Created: v.CreatedAt})
		if v.CreatedAt.After(f.Updated) {
			f.Updated = v.CreatedAt
		}
	}
	return f, nil
}
