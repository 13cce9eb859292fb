package frontend

import (
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// Community pages: the directory, the create form, a community's page with its
// commons, open contributions, discussions, members and role log, and the forms
// that act on it. Every rule (who may join, offer, post, decide, change roles) is
// the service's; these handlers parse, call and render.

const (
	communityPageSize = 50
	directoryPageSize = 30
)

func (w *Web) registerCommunities(e router) {
	e.GET("/communities", w.communityDirectory)
	e.GET("/communities/new", w.communityNewForm)
	e.POST("/communities", w.communityCreate)
	e.GET("/c/:name", w.communityPage)
	for _, t := range communityTabs[1:] {
		e.GET("/c/:name"+t.Path, w.communityTabPage(t.Name))
	}
	e.POST("/c/:name/join", w.communityJoin)
	e.POST("/c/:name/images/:slot", w.communityImage, w.communityImageUploadRoute())
	e.POST("/c/:name/leave", w.communityLeave)
	e.POST("/c/:name/members/:actor/role", w.communitySetRole)
	e.POST("/c/:name/requests/:id", w.communityDecideMembership)
	e.POST("/c/:name/invite", w.communityInvite)
	e.GET("/c/:name/offer", w.offerForm)
	e.POST("/c/:name/offer", w.offer, w.offerUploadRoute())
	e.GET("/c/:name/post", w.discussionForm)
	e.POST("/c/:name/post", w.discussionPost)
	e.GET("/c/:name/posts/:id", w.threadPage)
	e.POST("/c/:name/posts/:id/reply", w.threadReply)
	e.POST("/c/:name/posts/:id/moderate", w.discussionModerate)
	e.POST("/c/:name/follow", w.remoteFollow)
	e.POST("/c/:name/join-remote", w.remoteJoin)
	e.GET("/c/:name/ledger", w.ledgerPage)
	e.GET("/c/:name/ledger.csv", w.ledgerCSV)
	e.GET("/c/:name/feed.rss", feedRSS(w.communityFeed))
	e.GET("/c/:name/feed.atom", feedAtom(w.communityFeed))
	e.POST("/contributions/:id/comment", w.contributionComment)
	e.POST("/contributions/:id/decide", w.contributionDecide)
	e.POST("/contributions/:id/weight", w.contributionWeight)
	e.POST("/contributions/:id/confirm-credit", w.contributionConfirmCredit)
}

// ---- shared helpers ----

type option struct{ Value, Label string }

func licenceOptions() []option {
	out := make([]option, 0, len(service.Licences))
	for _, l := range service.Licences {
		out = append(out, option{l, service.LicenceName(l)})
	}
	return out
}

func kindOptions() []option {
	out := make([]option, 0, len(models.ContributionKinds))
	for _, k := range models.ContributionKinds {
		out = append(out, option{k, strings.ToUpper(k[:1]) + k[1:]})
	}
	return out
}

var stateLabels = map[string]string{
	models.ContributionOpen:             "Open for review",
	models.ContributionChangesRequested: "Changes requested",
	models.ContributionAccepted:         "Accepted",
	models.ContributionRejected:         "Rejected",
	models.ContributionWithdrawn:        "Withdrawn",
}

// person is an actor as pages show it: a name, a handle and a link.
type person struct {
	ID, Name, Handle, URL string
	Local                 bool
}

// people resolves actors once per request (by row id or by URI).
type people struct {
	w     *Web
	ctx   context.Context
	byID  map[string]*person
	byURI map[string]*person
}

func (w *Web) people(ctx context.Context) *people {
	return &people{w: w, ctx: ctx, byID: map[string]*person{}, byURI: map[string]*person{}}
}

func (w *Web) personOf(a *models.Actor) *person {
	host := a.Domain
	if host == "" {
		host = w.host
	}
	p := &person{ID: a.ID, Name: a.Name, Handle: "@" + a.Username + "@" + host, URL: a.URL, Local: a.Local()}
	if p.Name == "" {
		p.Name = a.Username
	}
	if p.URL == "" {
		p.URL = a.URI
	}
	if a.Local() {
		p.URL = "/@" + a.Username
	}
	return p
}

func (p *people) id(id string) *person {
	if got, ok := p.byID[id]; ok {
		return got
	}
	var out *person
	if a, err := p.w.svc.Actors.ByID(p.ctx, id); err == nil {
		out = p.w.personOf(a)
	} else {
		out = &person{ID: id, Name: "unknown", Handle: "unknown"}
	}
	p.byID[id] = out
	return out
}

func (p *people) uri(uri string) *person {
	if got, ok := p.byURI[uri]; ok {
		return got
	}
	var out *person
	if a := p.w.svc.Actors.KnownByURI(p.ctx, uri); a != nil {
		out = p.w.personOf(a)
	} else {
		out = &person{Name: uri, Handle: uri, URL: uri}
	}
	p.byURI[uri] = out
	return out
}

// contributionView is a contribution with its attribution, as lists and pages show it.
type contributionView struct {
	models.Contribution
	Contributors []*person
	LicenceName  string
	StateLabel   string
	LinkList     []string
	// AttachmentList are its files: uploaded here (served at /media/ID) or, for a
	// remote offer, links to where its server keeps them.
	AttachmentList []models.Attachment
	Page           string // the browser page of the contribution

	// Pending are co-contributors named by the offer who have not confirmed
	// (no ledger credit yet); CreditCode is what a remote one sends to confirm.
	Pending    []*person
	CreditCode string
}

func (p *people) contribution(co models.Contribution) contributionView {
	v := contributionView{Contribution: co, LicenceName: service.LicenceName(co.Licence),
		StateLabel: stateLabels[co.State], Page: "/contributions/" + co.ID}
	for _, u := range co.Contributors {
		v.Contributors = append(v.Contributors, p.uri(u))
	}
	if len(v.Contributors) == 0 {
		v.Contributors = []*person{p.id(co.ContributorID)}
	}
	for _, u := range service.PendingContributors(&co) {
		v.Pending = append(v.Pending, p.uri(u))
	}
	if len(v.Pending) > 0 {
		v.CreditCode = service.CreditCode(&co)
	}
	v.LinkList = co.Links
	v.AttachmentList = service.Attachments(&co)
	return v
}

func (p *people) contributions(list []models.Contribution) []contributionView {
	out := make([]contributionView, 0, len(list))
	for _, co := range list {
		out = append(out, p.contribution(co))
	}
	return out
}

// viewer is the logged-in user's actor (nil when logged out).
func (w *Web) viewer(c echo.Context) (*models.User, *models.Actor) {
	u, _ := w.current(c)
	if u == nil {
		return nil, nil
	}
	a, err := w.svc.Accounts.ActorOf(c.Request().Context(), u)
	if err != nil {
		return u, nil
	}
	return u, a
}

// actingMember requires a logged-in user and loads their actor and the community.
func (w *Web) actingMember(c echo.Context) (*models.Actor, *models.Actor, *models.Community, error) {
	u, err := w.requireUser(c)
	if u == nil {
		return nil, nil, nil, err
	}
	me, err := w.svc.Accounts.ActorOf(c.Request().Context(), u)
	if err != nil {
		return nil, nil, nil, err
	}
	group, com, err := w.svc.Communities.Local(c.Request().Context(), c.Param("name"))
	if err != nil {
		return nil, nil, nil, err
	}
	return me, group, com, nil
}

func communityPath(group *models.Actor) string { return "/c/" + group.Username }

// ---- directory ----

type directoryData struct {
	Q           string
	Communities []*person
	Summaries   map[string]string
	Page, Next  int
	CanCreate   bool
}

func (w *Web) communityDirectory(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	if pg < 0 {
		pg = 0
	}
	list, err := w.svc.Communities.Directory(c.Request().Context(), q, directoryPageSize+1, pg*directoryPageSize)
	if err != nil {
		return err
	}
	d := directoryData{Q: q, Page: pg, Summaries: map[string]string{}}
	if len(list) > directoryPageSize {
		list, d.Next = list[:directoryPageSize], pg+1
	}
	for i := range list {
		p := w.personOf(&list[i])
		p.URL = communityPath(&list[i])
		d.Communities = append(d.Communities, p)
		d.Summaries[p.ID] = list[i].Summary
	}
	u, _ := w.current(c)
	d.CanCreate = u != nil && (w.cfg.Instance.CommunityCreation != "admins" || u.Role == models.RoleAdmin)
	p := w.page(c, "Communities")
	p.Data = d
	return w.render(c, http.StatusOK, "communities", p)
}

// ---- create ----

const maxLinkRows = 4

type newCommunityData struct {
	Form     *form
	Links    []models.Field
	Licences []option
	Policies map[string][]option
}

var communityFields = map[string]string{
	"handle": "handle", "username": "handle", "taken": "handle", "name is": "name", "licence": "licence",
	"summary": "summary", "charter": "charter", "link": "links", "weight": "weights", "policy": "policies",
}

var policyOptions = map[string][]option{
	"posting": {{models.PolicyOpen, "Anyone may post"}, {models.PolicyMembers, "Members only"}, {models.PolicyMaintainers, "Maintainers only"}},
	"offer":   {{models.PolicyMembers, "Members only"}, {models.PolicyOpen, "Anyone may offer"}, {models.PolicyMaintainers, "Maintainers only"}},
	"membership": {{models.PolicyOpen, "Open: anyone may join"}, {models.PolicyApproval, "Maintainers approve each request"},
		{models.PolicyInvitation, "By invitation only"}},
}

func (w *Web) newCommunityPage(c echo.Context, status int, f *form, links []models.Field) error {
	for len(links) < maxLinkRows {
		links = append(links, models.Field{})
	}
	p := w.page(c, "Create a community")
	p.Data = newCommunityData{Form: f, Links: links, Licences: licenceOptions(), Policies: policyOptions}
	return w.render(c, status, "community_new", p)
}

func (w *Web) communityNewForm(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	f := newForm()
	f.Values["licence"] = "PPL"
	f.Values["members_public"] = "on"
	f.Values["weight_min"], f.Values["weight_max"] = "1", "10"
	f.Values["posting_policy"] = models.PolicyMembers
	return w.newCommunityPage(c, http.StatusOK, f, nil)
}

func (w *Web) communityCreate(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"handle", "name", "summary", "licence", "charter", "posting_policy", "offer_policy",
		"membership_policy", "members_public", "approve_followers", "weight_min", "weight_max"} {
		f.Values[k] = c.FormValue(k)
	}
	f.Values["handle"] = strings.TrimPrefix(strings.TrimSpace(f.Values["handle"]), "@")
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
	in := service.CommunityInput{Handle: f.Get("handle"), Name: f.Get("name"), Summary: f.Get("summary"),
		Licence: f.Get("licence"), Charter: f.Get("charter"), Links: links, PostingPolicy: f.Get("posting_policy"),
		OfferPolicy: f.Get("offer_policy"), MembershipPolicy: f.Get("membership_policy"),
		MembersPublic: f.Get("members_public") != "", ApproveFollowers: f.Get("approve_followers") != ""}
	// A weight that is not a number is sent as -1, which the service refuses with
	// the form's other problems; the page then says what was wrong with it.
	var weightErr string
	if in.WeightMin, err = strconv.Atoi(strings.TrimSpace(f.Get("weight_min"))); err != nil {
		in.WeightMin, weightErr = -1, "the smallest ledger weight must be a whole number"
	}
	if in.WeightMax, err = strconv.Atoi(strings.TrimSpace(f.Get("weight_max"))); err != nil {
		in.WeightMin, weightErr = -1, "the largest ledger weight must be a whole number"
	}
	if weightErr == "" && in.WeightMin == 0 && in.WeightMax == 0 {
		in.WeightMin, weightErr = -1, "the largest ledger weight must be above zero"
	}
	group, _, err := w.svc.Communities.Create(c.Request().Context(), u, in)
	if err != nil {
		if weightErr != "" {
			f.invalid("weights", weightErr)
		}
		f.fail(err, communityFields)
		return w.newCommunityPage(c, statusOf(err), f, shown)
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"?done=created")
}

// ---- the community page ----

type discussionView struct {
	Note    models.Note
	Author  *person
	Replies int
	More    bool // more replies than counted
}

type memberView struct {
	Membership models.Membership
	Person     *person
}

type roleLogView struct {
	Change models.RoleChange
	Who    *person
	By     *person
}

type communityData struct {
	Group       *models.Actor
	Com         *models.Community
	Handle      string
	Path        string
	LicenceName string
	Links       []models.Field
	MemberCount int64
	Maintainers []memberView

	Viewer       *models.Actor
	Role         string // the viewer's active role
	State        string // the viewer's membership state ("" when none)
	IsMaintainer bool
	IsSteward    bool
	// HeldAnnouncements counts the announcements waiting for the
	// maintainers (shown in the tab bar of every tab).
	HeldAnnouncements int64
	MayOffer          bool
	MayPost           bool

	Q            string
	Commons      []contributionView
	CommonsTotal int64
	Open         []contributionView
	Discussions  []discussionView
	ShowMembers  bool
	Members      []memberView
	Pending      []memberView
	RoleLog      []roleLogView
	Roles        []string

	Follow     *form
	RemoteJoin *form
	Invite     *form // maintainers: invite someone by handle
	// OfferRefusal and PostRefusal say, to a logged-in viewer who may not offer
	// or start a discussion, why and how to become able to.
	OfferRefusal, PostRefusal string
	Notice                    string
	Error                     string

	JoinConfirm *joinConfirm // after "Join from another server"

	Tab                       string // which tab this page is (tabOverview, …)
	Tabs                      []communityTab
	MoreOpen, MoreDiscussions bool // the overview's digest is cut short
}

var communityNotices = map[string]string{
	"created": "Community created. You are its first steward.", "joined": "You joined the community.",
	"requested": "Your membership request was sent; a maintainer will answer it.", "left": "You left the community.",
	"role": "Role changed.", "approved": "Membership request approved.", "refused": "Membership request refused.",
	"posted": "Your post was published.", "image": "Image saved.", "invited": "Invitation sent: they become a member when they accept it.", "removed": "Post removed.", "locked": "Thread locked.", "unlocked": "Thread unlocked.",
}

// Community tabs: each section of a community is its own page (server-rendered,
// no script), under the same header and tab bar. The overview shows the facts,
// a digest of the other tabs and the follow and join forms.
const (
	tabOverview      = "overview"
	tabCommons       = "commons"
	tabContributions = "contributions"
	tabDiscussions   = "discussions"
	tabMembers       = "members"
	tabCharter       = "charter"
	// digestSize is how many items of each list the overview shows.
	digestSize = 5
)

type communityTab struct{ Name, Label, Path string }

var communityTabs = []communityTab{{tabOverview, "Overview", ""}, {tabCommons, "Commons", "/commons"},
	{tabContributions, "Open contributions", "/contributions"}, {tabDiscussions, "Discussions", "/discussions"},
	{tabMembers, "Members", "/members"}, {tabCharter, "Charter", "/charter"}}

// tabURL is the address of a community's tab.
func tabURL(group *models.Actor, tab string) string {
	for _, t := range communityTabs {
		if t.Name == tab {
			return communityPath(group) + t.Path
		}
	}
	return communityPath(group)
}

func (w *Web) communityPage(c echo.Context) error {
	return w.communityTabPage(tabOverview)(c)
}

func (w *Web) communityTabPage(tab string) echo.HandlerFunc {
	return func(c echo.Context) error {
		notice := communityNotices[c.QueryParam("done")]
		return w.renderCommunityTab(c, c.Param("name"), tab, http.StatusOK, func(d *communityData) { d.Notice = notice })
	}
}

// renderCommunity renders the community's overview; edit lets a form handler put
// its form (with errors) on it.
func (w *Web) renderCommunity(c echo.Context, name string, status int, edit func(*communityData)) error {
	return w.renderCommunityTab(c, name, tabOverview, status, edit)
}

// renderCommunityTab renders one tab of a community, loading only what it shows.
func (w *Web) renderCommunityTab(c echo.Context, name, tab string, status int, edit func(*communityData)) error {
	ctx := c.Request().Context()
	group, com, err := w.svc.Communities.Local(ctx, name)
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	ppl := w.people(ctx)
	d := &communityData{Group: group, Com: com, Handle: "@" + group.Username + "@" + w.host, Path: communityPath(group),
		LicenceName: service.LicenceName(com.Licence), Viewer: me, Q: strings.TrimSpace(c.QueryParam("q")),
		Roles: []string{models.RoleCommunityMember, models.RoleCommunityMaintainer, models.RoleCommunitySteward}, Follow: newForm(),
		RemoteJoin: newForm(), Invite: newForm(), Tab: tab}
	for _, t := range communityTabs {
		d.Tabs = append(d.Tabs, communityTab{Name: t.Name, Label: t.Label, Path: d.Path + t.Path})
	}
	_ = json.Unmarshal([]byte(com.Links), &d.Links)
	d.MemberCount, _ = w.svc.Communities.MemberCount(ctx, group)
	if me != nil {
		if m := w.svc.Communities.MembershipOf(ctx, group, me); m != nil {
			d.State = m.State
		}
		d.Role = w.svc.Communities.Role(ctx, group, me)
	}
	rank := communityRank(d.Role)
	d.IsMaintainer, d.IsSteward = rank >= 2, rank >= 3
	d.MayOffer = me != nil && rank >= policyRank(com.OfferPolicy)
	d.MayPost = me != nil && rank >= policyRank(com.PostingPolicy)
	if me != nil {
		d.OfferRefusal = refusal(com, rank, com.OfferPolicy, "offer contributions")
		d.PostRefusal = refusal(com, rank, com.PostingPolicy, "start discussions")
	}
	if d.IsMaintainer { // shown in the tab bar on every tab
		d.HeldAnnouncements = w.svc.Economy.HeldCount(ctx, me, group)
		if pending, err := w.svc.Communities.Members(ctx, me, group, models.MembershipPending, 200, 0); err == nil {
			d.Pending = memberViews(w, pending)
		}
	}
	size := communityPageSize
	if tab == tabOverview {
		size = digestSize
	}
	if tab == tabOverview || tab == tabCommons {
		commons, n, err := w.svc.Communities.Commons(ctx, group, d.Q, size, 0)
		if err != nil {
			return err
		}
		d.Commons, d.CommonsTotal = ppl.contributions(commons), n
	}
	if tab == tabOverview || tab == tabContributions {
		open, err := w.svc.Communities.OpenContributions(ctx, group, size+1, 0)
		if err != nil {
			return err
		}
		if len(open) > size {
			open, d.MoreOpen = open[:size], true
		}
		d.Open = ppl.contributions(open)
	}
	if tab == tabOverview || tab == tabDiscussions {
		posts, err := w.svc.Communities.Discussions(ctx, group, size+1, 0)
		if err != nil {
			return err
		}
		if len(posts) > size {
			posts, d.MoreDiscussions = posts[:size], true
		}
		for _, n := range posts {
			const maxCount = 100
			dv := discussionView{Note: n, Author: ppl.id(n.AuthorID)}
			dv.Replies, dv.More, _ = w.svc.Communities.ReplyCount(ctx, &n, maxCount)
			d.Discussions = append(d.Discussions, dv)
		}
	}
	if tab == tabMembers {
		if mods, err := w.svc.Communities.Maintainers(ctx, group); err == nil {
			d.Maintainers = memberViews(w, mods)
		}
		if members, err := w.svc.Communities.Members(ctx, me, group, models.MembershipActive, 200, 0); err == nil {
			d.ShowMembers = true
			d.Members = memberViews(w, members)
			if log, err := w.svc.Communities.RoleLog(ctx, group, 50); err == nil {
				for _, ch := range log {
					d.RoleLog = append(d.RoleLog, roleLogView{Change: ch, Who: ppl.id(ch.ActorID), By: ppl.id(ch.ByID)})
				}
			}
		}
	}
	if edit != nil {
		edit(d)
	}
	title := group.Name
	if title == "" {
		title = group.Username
	}
	if tab != tabOverview {
		for _, t := range communityTabs {
			if t.Name == tab {
				title = t.Label + " · " + title
			}
		}
	}
	p := w.page(c, title)
	p.Data = d
	return w.render(c, status, "community", p)
}

func memberViews(w *Web, rows []service.MemberRow) []memberView {
	out := make([]memberView, 0, len(rows))
	for i := range rows {
		out = append(out, memberView{Membership: rows[i].Membership, Person: w.personOf(&rows[i].Actor)})
	}
	return out
}

// communityError shows a service error at the top of the community page with its
// status (a conflict such as "the last steward cannot leave"); 401/403/404 go to
// the error page.
func (w *Web) communityError(c echo.Context, err error) error {
	switch errs.Status(err) {
	case http.StatusConflict, http.StatusUnprocessableEntity, http.StatusBadRequest,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		tab := tabOverview
		switch p := c.Path(); {
		case strings.Contains(p, "/members/"), strings.Contains(p, "/requests/"), strings.HasSuffix(p, "/invite"):
			tab = tabMembers
		case strings.Contains(p, "/posts/"):
			tab = tabDiscussions
		}
		return w.renderCommunityTab(c, c.Param("name"), tab, statusOf(err), func(d *communityData) { d.Error = errs.Message(err) })
	}
	return err
}

// ---- membership ----

func (w *Web) communityJoin(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	m, err := w.svc.Communities.Join(c.Request().Context(), me, group, "")
	if err != nil {
		return w.communityError(c, err)
	}
	done := "joined"
	if m.State == models.MembershipPending {
		done = "requested"
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"?done="+done)
}

func (w *Web) communityLeave(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	if err := w.svc.Communities.Leave(c.Request().Context(), me, group); err != nil {
		return w.communityError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"?done=left")
}

func (w *Web) communitySetRole(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	member, err := w.svc.Actors.ByID(ctx, c.Param("actor"))
	if err != nil {
		return err
	}
	if _, err := w.svc.Communities.SetRole(ctx, me, group, member, c.FormValue("role")); err != nil {
		return w.communityError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, tabURL(group, tabMembers)+"?done=role")
}

func (w *Web) communityDecideMembership(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	var approve bool
	switch c.FormValue("decision") {
	case "approve":
		approve = true
	case "refuse":
	default:
		return errs.BadRequest("decision must be approve or refuse")
	}
	if _, err := w.svc.Communities.DecideMembership(c.Request().Context(), me, group, c.Param("id"), approve); err != nil {
		return w.communityError(c, err)
	}
	done := "refused"
	if approve {
		done = "approved"
	}
	return c.Redirect(http.StatusSeeOther, tabURL(group, tabMembers)+"?done="+done+"#requests")
}

// refusal explains to a logged-in person of the given rank why they may not do
// what (under policy) and how to become able to; "" when they may.
func refusal(com *models.Community, rank int, policy, what string) string {
	need := policyRank(policy)
	if rank >= need {
		return ""
	}
	if need >= 2 {
		return "Only maintainers may " + what + " here."
	}
	msg := "Only members may " + what + " here. "
	switch com.MembershipPolicy {
	case models.PolicyOpen:
		return msg + "Join the community first: anyone may, with the Join button on its page."
	case models.PolicyApproval:
		return msg + "Ask to join on the community's page; a maintainer answers requests."
	default:
		return msg + "Membership is by invitation: ask a maintainer to invite you."
	}
}

// communityInvite is the maintainers' "Invite someone" form (a handle here or
// on another server); the typed handle stays in the form when it is refused.
func (w *Web) communityInvite(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	handle := strings.TrimSpace(c.FormValue("invitee"))
	if _, _, err := w.svc.Communities.InviteByHandle(c.Request().Context(), me, group, handle); err != nil {
		switch s := errs.Status(err); {
		case s == http.StatusUnauthorized || s == http.StatusForbidden || s >= 500 && s != http.StatusBadGateway && s != http.StatusServiceUnavailable:
			return err
		}
		return w.renderCommunityTab(c, group.Username, tabMembers, statusOf(err), func(d *communityData) {
			d.Invite.Values["invitee"] = handle
			d.Invite.invalid("invitee", errs.Message(err))
		})
	}
	return c.Redirect(http.StatusSeeOther, tabURL(group, tabMembers)+"?done=invited#invite")
}

// ---- offer a contribution ----

type offerData struct {
	Group *models.Actor
	Path  string // where the form posts: /c/name, or /c/name@host for a remote community
	Back  string // the community's page (on its own server when remote)
	// Remote: the community is on another server; the offer goes there as Offer
	// and its maintainers answer there (the licence is not known here).
	Remote bool
	Form   *form
	Kinds  []option
	// Licence is the commons' licence: the only one a contribution may be offered under.
	Licence, LicenceName string
	MaxFiles             int
	MaxSize              string
	Refusal              string // why the viewer may not offer (the form is not shown)
}

var offerFields = map[string]string{"title": "title", "body": "body", "kind": "kind", "link": "links", "licen": "licence", "attachment": "attachments", "bounty": "bounty"}

func (w *Web) offerPage(c echo.Context, status int, group *models.Actor, com *models.Community, f *form) error {
	p := w.page(c, "Offer a contribution to "+displayName(group))
	d := offerData{Group: group, Path: communityPath(group), Back: communityPath(group), Form: f, Kinds: kindOptions(),
		MaxFiles: models.MaxAttachments, MaxSize: humanBytes(w.cfg.Media.MaxAttachmentBytes)}
	if com == nil { // a community on another server: its page is there, its licence is the offerer's to name
		d.Path, d.Back, d.Remote = "/c/"+strings.TrimPrefix(c.Param("name"), "@"), group.URL, true
		if d.Back == "" {
			d.Back = group.URI
		}
	} else {
		d.Licence, d.LicenceName = com.Licence, service.LicenceName(com.Licence)
		if status == http.StatusOK { // a refused submission keeps its form, with what was typed
			d.Refusal = w.viewerRefusal(c, group, com, com.OfferPolicy, "offer contributions")
		}
	}
	p.Data = d
	return w.render(c, status, "community_offer", p)
}

// viewerRefusal is refusal for the logged-in viewer of a community page.
func (w *Web) viewerRefusal(c echo.Context, group *models.Actor, com *models.Community, policy, what string) string {
	_, me := w.viewer(c)
	if me == nil {
		return ""
	}
	return refusal(com, communityRank(w.svc.Communities.Role(c.Request().Context(), group, me)), policy, what)
}

func displayName(a *models.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// offerTarget is the community of an offer route: /c/name for one of ours,
// /c/name@host for a community on another server (resolved, and fetched if
// new, for a logged-in user only), so that someone who joined a community
// elsewhere can offer to it from their own server; com is nil then.
func (w *Web) offerTarget(c echo.Context) (*models.Actor, *models.Community, error) {
	name := strings.TrimPrefix(c.Param("name"), "@")
	if !strings.Contains(name, "@") {
		return w.svc.Communities.Local(c.Request().Context(), name)
	}
	group, com, err := w.svc.Communities.Resolve(c.Request().Context(), "@"+name)
	if err != nil {
		if s := errs.Status(err); s == http.StatusBadRequest || s == http.StatusUnprocessableEntity {
			return nil, nil, errs.NotFound("community not found")
		}
		return nil, nil, err
	}
	return group, com, nil
}

func (w *Web) offerForm(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	group, com, err := w.offerTarget(c)
	if err != nil {
		return err
	}
	f := newForm()
	if com != nil {
		f.Values["licence"] = com.Licence
	}
	f.Values["kind"] = "code"
	f.Values["bounty"] = c.QueryParam("bounty") // "Claim this bounty" on a bounty's page
	return w.offerPage(c, http.StatusOK, group, com, f)
}

// offerUploadRoute caps the offer form's body at what MaxAttachments files of the
// configured size need (413 beyond, with the form shown again).
func (w *Web) offerUploadRoute() echo.MiddlewareFunc {
	max := func() int64 { return int64(models.MaxAttachments)*w.cfg.Media.MaxAttachmentBytes + 256<<10 }
	return uploadRoute(max, w.offerTooBig)
}

// offerTooBig shows the offer form again when its body is cut off (logged in, but
// the token could not be read, so nothing is done).
func (w *Web) offerTooBig(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	group, com, err := w.offerTarget(c)
	if err != nil {
		return err
	}
	f := newForm()
	f.invalid("attachments", "the attachments are larger than "+humanBytes(int64(models.MaxAttachments)*w.cfg.Media.MaxAttachmentBytes)+" in all")
	return w.offerPage(c, http.StatusRequestEntityTooLarge, group, com, f)
}

// offer takes the offer form, multipart when files are attached (read within
// offerUploadRoute's cap by the CSRF middleware); the service checks each file's
// size and type before anything is stored.
func (w *Web) offer(c echo.Context) error {
	r := c.Request()
	max := w.cfg.Media.MaxAttachmentBytes
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	me, err := w.svc.Accounts.ActorOf(r.Context(), u)
	if err != nil {
		return err
	}
	group, com, err := w.offerTarget(c)
	if err != nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"title", "body", "kind", "links", "licence", "bounty"} {
		f.Values[k] = c.FormValue(k)
	}
	files, err := formUploads(r, "attachments", max)
	if err != nil {
		f.invalid("attachments", errs.Message(err))
		return w.offerPage(c, statusOf(err), group, com, f)
	}
	var links []string
	for _, l := range strings.Split(f.Get("links"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	co, err := w.svc.Communities.Offer(c.Request().Context(), me, group, service.ContributionInput{Title: f.Get("title"),
		Body: f.Get("body"), Kind: f.Get("kind"), Licence: strings.TrimSpace(f.Get("licence")), Links: links, Files: files,
		Bounty: strings.TrimSpace(f.Get("bounty"))}, nil)
	if err != nil {
		if errs.Status(err) == http.StatusUnauthorized {
			return err
		}
		f.fail(err, offerFields) // a 403 too: the form stays, with what was typed
		return w.offerPage(c, statusOf(err), group, com, f)
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+co.ID+"?done=offered")
}

// ---- discussions ----

type postData struct {
	Group   *models.Actor
	Path    string
	Form    *form
	Refusal string // why the viewer may not post (the form is not shown)
}

func (w *Web) postPage(c echo.Context, status int, group *models.Actor, f *form) error {
	p := w.page(c, "Start a discussion in "+displayName(group))
	d := postData{Group: group, Path: communityPath(group), Form: f}
	if status == http.StatusOK {
		if com, err := w.svc.Communities.ByActor(c.Request().Context(), group); err == nil {
			d.Refusal = w.viewerRefusal(c, group, com, com.PostingPolicy, "start discussions")
		}
	}
	p.Data = d
	return w.render(c, status, "community_post", p)
}

func (w *Web) discussionForm(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	group, _, err := w.svc.Communities.Local(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return w.postPage(c, http.StatusOK, group, newForm())
}

func (w *Web) discussionPost(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	f := newForm()
	f.Values["content"] = c.FormValue("content")
	f.Values["summary"] = c.FormValue("summary")
	_, err = w.svc.Social.PostNote(c.Request().Context(), me, service.NoteInput{Content: f.Get("content"),
		Summary: f.Get("summary"), Visibility: models.VisibilityPublic, Community: group.Username})
	if err != nil {
		if errs.Status(err) == http.StatusUnauthorized {
			return err
		}
		f.fail(err, map[string]string{"content": "content"}) // a 403 too: the form stays, with what was typed
		return w.postPage(c, statusOf(err), group, f)
	}
	return c.Redirect(http.StatusSeeOther, tabURL(group, tabDiscussions)+"?done=posted")
}

func (w *Web) discussionModerate(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	action := c.FormValue("action")
	if action == "remove" {
		reason := strings.TrimSpace(c.FormValue("reason"))
		if !confirmed(c) || reason == "" {
			d := confirmData{Title: "Remove this post?", Lines: []string{
				"The post and its place in the discussions are removed for everyone, here and on the servers that follow " + group.Name + ".",
				"Its author is sent your reason in a direct message from " + group.Name + "."},
				Verb: "Yes, remove the post", Cancel: threadPath(group, c.Param("id")), Danger: true, Reason: true}
			if confirmed(c) {
				d.ReasonError = "Give a reason: it is sent to the author."
			}
			return w.askConfirm(c, d)
		}
		if err := w.svc.Communities.RemovePost(c.Request().Context(), me, group, c.Param("id"), reason); err != nil {
			return w.communityError(c, err)
		}
	} else if err := w.svc.Communities.Moderate(c.Request().Context(), me, group, c.Param("id"), action); err != nil {
		return w.communityError(c, err)
	}
	done := map[string]string{"remove": "removed", "lock": "locked", "unlock": "unlocked"}[action]
	if c.FormValue("back") == "thread" && action != "remove" {
		return c.Redirect(http.StatusSeeOther, threadPath(group, c.Param("id"))+"?done="+done)
	}
	return c.Redirect(http.StatusSeeOther, tabURL(group, tabDiscussions)+"?done="+done)
}

// formUploads reads the files of a multipart field (empty file inputs are
// skipped). A file over max is cut at max+1 bytes: the service answers 413.
func formUploads(r *http.Request, field string, max int64) ([]service.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []service.Upload
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if len(out) == models.MaxAttachments {
			return nil, errs.Unprocessable("at most %d attachments", models.MaxAttachments)
		}
		data, err := readUpload(fh, max)
		if err != nil {
			return nil, errs.Internal(err)
		}
		out = append(out, service.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return out, nil
}

func readUpload(fh *multipart.FileHeader, max int64) ([]byte, error) {
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, max+1))
}
