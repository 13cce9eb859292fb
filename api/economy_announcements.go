package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Coalition announcements (issue 12): an organization's admins publish jobs,
// services, goods, bounties and events addressed to communities; each local
// community announces a partner's at once and holds the others for its
// maintainers. Bounties are claimed by contributions ("bounty" on an offer)
// and paid out when the claim is accepted.

func (a *API) registerAnnouncements(g *echo.Group) {
	auth, viewer := a.authenticate, a.communityViewer
	g.POST("/announcements", a.createAnnouncement, auth)
	g.GET("/announcements/:id", a.showAnnouncement, viewer)
	g.POST("/announcements/:id/confirm_payment", a.confirmBountyPayment, auth)
	g.GET("/organizations/:handle/announcements", a.organizationAnnouncements, viewer)
	g.GET("/communities/:handle/announcements", a.communityAnnouncements, viewer)
	g.POST("/communities/:handle/announcements/:id/decision", a.decideAnnouncement, auth)
}

type announcementJSON struct {
	ID          string         `json:"id"`
	URI         string         `json:"uri"`
	URL         string         `json:"url"`
	Kind        string         `json:"kind"`
	Purpose     string         `json:"purpose"`
	State       string         `json:"state"`
	Author      actorRefJSON   `json:"author"`
	Title       string         `json:"title"`
	Body        string         `json:"body"`
	BodyHTML    string         `json:"body_html"`
	ForWhom     string         `json:"for_whom"`
	Price       *moneyJSON     `json:"price"`
	PayNote     string         `json:"pay_note"`
	At          *time.Time     `json:"at"`
	Link        string         `json:"link"`
	Communities []actorRefJSON `json:"communities"`
	Relay       string         `json:"relay,omitempty"` // in a community's list: held, announced or ignored
	CreatedAt   time.Time      `json:"created_at"`
	// A bounty's claims and ledger entries (payouts, payments).
	Claims  []string    `json:"claims,omitempty"` // contribution ids
	Entries []entryJSON `json:"entries,omitempty"`
	Payout  *moneyJSON  `json:"payout_recorded,omitempty"`
	Paid    *moneyJSON  `json:"paid,omitempty"`
}

func (a *API) announcementView(v *service.AnnouncementView) announcementJSON {
	out := announcementJSON{ID: v.ID, URI: v.URI, URL: v.URL, Kind: v.Kind, Purpose: v.Purpose, State: v.State,
		Author: a.actorRef(v.Author), Title: v.Title, Body: v.Body, BodyHTML: v.BodyHTML, ForWhom: v.ForWhom,
		PayNote: v.PayNote, At: utcPtr(v.At), Link: v.Link, Communities: []actorRefJSON{}, CreatedAt: v.CreatedAt.UTC()}
	if m, ok := v.Price(); ok {
		mj := moneyView(m)
		out.Price = &mj
	}
	for _, g := range v.Communities {
		out.Communities = append(out.Communities, a.actorRef(g))
	}
	return out
}

type announcementRequest struct {
	As          string    `json:"as"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	ForWhom     string    `json:"for_whom"`
	Price       string    `json:"price"`
	Currency    string    `json:"currency"`
	PayNote     string    `json:"pay_note"`
	At          time.Time `json:"at"`
	Link        string    `json:"link"`
	Communities []string  `json:"communities"`
}

// createAnnouncement is POST /api/v1/announcements: an admin of an
// organization ("as") publishes an announcement.
func (a *API) createAnnouncement(c echo.Context) error {
	var req announcementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := a.svc.Economy.PublishAnnouncement(c.Request().Context(), caller(c), service.AnnouncementInput{As: req.As,
		Kind: req.Kind, Title: req.Title, Body: req.Body, ForWhom: req.ForWhom, Price: req.Price, Currency: req.Currency,
		PayNote: req.PayNote, At: req.At, Link: req.Link, Communities: req.Communities})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/announcements/"+v.ID)
	return c.JSON(http.StatusCreated, a.announcementView(v))
}

// showAnnouncement is GET /api/v1/announcements/{id}; a bounty comes with its
// claims and its ledger entries.
func (a *API) showAnnouncement(c echo.Context) error {
	ctx := c.Request().Context()
	bv, err := a.svc.Economy.Bounty(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	out := a.announcementView(bv.AnnouncementView)
	if bv.Kind == models.AnnouncementBounty {
		for _, co := range bv.Claims {
			out.Claims = append(out.Claims, co.ID)
		}
		if out.Entries, err = a.entryViews(ctx, bv.Entries); err != nil {
			return err
		}
		p, paid := moneyView(bv.Payout), moneyView(bv.Paid)
		out.Payout, out.Paid = &p, &paid
	}
	return c.JSON(http.StatusOK, out)
}

// confirmBountyPayment is POST /api/v1/announcements/{id}/confirm_payment:
// the bounty's organization paid its payout; the payments appended.
func (a *API) confirmBountyPayment(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := a.svc.Economy.ConfirmBountyPaid(ctx, caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	out, err := a.entryViews(ctx, list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": out})
}

func pageArgs(c echo.Context) (int, int, error) {
	limit, offset := 20, 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return 0, 0, errs.BadRequest("limit must be 1–100")
		}
		limit = n
	}
	if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errs.BadRequest("offset must be a number ≥ 0")
		}
		offset = n
	}
	return limit, offset, nil
}

// organizationAnnouncements is GET
// /api/v1/organizations/{handle}/announcements?kind&limit&offset.
func (a *API) organizationAnnouncements(c echo.Context) error {
	ctx := c.Request().Context()
	org, _, err := a.svc.Economy.Organization(ctx, c.Param("handle"))
	if err != nil {
		return err
	}
	limit, offset, err := pageArgs(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Economy.AnnouncementsBy(ctx, org, c.QueryParam("kind"), limit, offset)
	if err != nil {
		return err
	}
	out := make([]announcementJSON, 0, len(list))
	for _, v := range list {
		out = append(out, a.announcementView(v))
	}
	return c.JSON(http.StatusOK, out)
}

// communityAnnouncements is GET
// /api/v1/communities/{handle}/announcements?state=announced|held|ignored:
// held and ignored ones for its maintainers only.
func (a *API) communityAnnouncements(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := a.community(c, false)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if state == "" {
		state = models.RelayAnnounced
	}
	limit, offset, err := pageArgs(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Economy.CommunityAnnouncements(ctx, me, group, state, limit, offset)
	if err != nil {
		return err
	}
	out := make([]announcementJSON, 0, len(list))
	for _, v := range list {
		j := a.announcementView(v.AnnouncementView)
		j.Relay = v.Relay.State
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, out)
}

type announcementDecision struct {
	Approve bool `json:"approve"`
}

// decideAnnouncement is POST
// /api/v1/communities/{handle}/announcements/{id}/decision {approve}: a
// maintainer approves (the Group announces it) or ignores a held one.
func (a *API) decideAnnouncement(c echo.Context) error {
	var req announcementDecision
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	group, _, err := a.community(c, false)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if err := a.svc.Economy.DecideAnnouncement(ctx, me, group, c.Param("id"), req.Approve); err != nil {
		return err
	}
	state := models.RelayIgnored
	if req.Approve {
		state = models.RelayAnnounced
	}
	return c.JSON(http.StatusOK, map[string]string{"relay": state})
}
