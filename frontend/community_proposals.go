package frontend

import (
	"encoding/json"
	"html"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Governance pages (issue 11), without JavaScript: a community's proposals
// (open first) with the form to open one, and a proposal's page with its
// motion, rules, live tallies, advisory votes, the vote form for members and
// the outcome.

func (w *Web) registerProposals(e router) {
	e.GET("/c/:name/proposals", w.proposalsPage)
	e.POST("/c/:name/proposals", w.proposalCreate)
	e.GET("/c/:name/proposals/:id", w.proposalPage)
	e.POST("/c/:name/proposals/:id/vote", w.proposalVote)
	e.POST("/c/:name/proposals/:id/withdraw", w.proposalWithdraw)
	e.POST("/c/:name/proposals/:id/revise", w.proposalRevise)
	e.GET("/c/:name/governance", w.governancePage)
	e.POST("/c/:name/governance", w.governanceUpdate)
	e.GET("/c/:name/governance/log", w.governanceLogPage)
	e.GET("/c/:name/proposals.atom", feedAtom(w.proposalsFeed))
	e.GET("/c/:name/proposals.rss", feedRSS(w.proposalsFeed))
}

type proposalsData struct {
	Group     *models.Actor
	Path      string
	Proposals []*service.ProposalView // with their turnout and the viewer's vote (one batch read)
	CanOpen   bool
	Error     string
	Form      formValues
	Kinds     []string
	Settings  service.GovernanceSettings
}

// formValues are the sticky values of the proposal form.
type formValues = map[string]string

type proposalData struct {
	Group       *models.Actor
	Path        string
	View        *service.ProposalView
	Lines       []string
	Author      *models.Actor
	CanVote     bool // signed in and the proposal is open
	Member      bool // the viewer is a member now (their vote is binding if they were one at opening)
	CanWithdraw bool
	CanRevise   bool
	Multiple    bool // anyOf: checkboxes
	Error       string
	Done        string
	Host        string
}

func (w *Web) proposalsPage(c echo.Context) error {
	return w.renderProposals(c, http.StatusOK, nil, "")
}

func (w *Web) renderProposals(c echo.Context, status int, form formValues, msg string) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	list, err := w.svc.Governance.List(ctx, group, 100, 0)
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	views, err := w.svc.Governance.Views(ctx, me, list)
	if err != nil {
		return err
	}
	settings, err := w.svc.Governance.Settings(ctx, group)
	if err != nil {
		return err
	}
	d := proposalsData{Group: group, Path: communityPath(group), Proposals: views, Error: msg, Form: form,
		Kinds: settings.SortedKinds(), Settings: settings}
	if me != nil && w.svc.Communities.Role(ctx, group, me) != "" {
		d.CanOpen = true
	}
	if d.Form == nil {
		d.Form = formValues{"kind": "motion"}
	}
	p := w.page(c, "Proposals of "+displayName(group))
	p.Data = d
	return w.render(c, status, "community_proposals", p)
}

func (w *Web) proposalCreate(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	form := formValues{}
	for _, k := range []string{"kind", "title", "motion", "method", "days", "member", "role", "charter", "contribution",
		"args", "options", "choice", "block", "threshold_base", "quorum_kind", "ballot_mode", "early_close"} {
		form[k] = c.FormValue(k)
	}
	in, msg := proposalInput(form)
	if msg != "" {
		return w.renderProposals(c, http.StatusUnprocessableEntity, form, msg)
	}
	p, err := w.svc.Governance.Propose(c.Request().Context(), me, group, in)
	if err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderProposals(c, statusOf(err), form, errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/proposals/"+p.ID)
}

func (w *Web) proposalPage(c echo.Context) error {
	return w.renderProposal(c, http.StatusOK, "")
}

func (w *Web) renderProposal(c echo.Context, status int, msg string) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	v, err := w.svc.Governance.Get(ctx, me, c.Param("id"))
	if err != nil || v.Group.ID != group.ID {
		return errs.NotFound("proposal not found")
	}
	d := proposalData{Group: group, Path: communityPath(group), View: v, Lines: service.ProposalLines(v.Proposal, v.Eligible),
		Error: msg, Done: c.QueryParam("done")}
	d.Author, _ = w.svc.Actors.ByID(ctx, v.Proposal.AuthorID)
	d.Multiple = v.Proposal.Choice == "anyOf"
	d.Host = w.host
	if me != nil && v.Proposal.State == models.ProposalOpen {
		d.CanVote = true
		role := w.svc.Communities.Role(ctx, group, me)
		d.Member = role != ""
		d.CanWithdraw = me.ID == v.Proposal.AuthorID || role == models.RoleCommunitySteward
		d.CanRevise = me.ID == v.Proposal.AuthorID
	}
	p := w.page(c, v.Proposal.Title)
	p.Data = d
	return w.render(c, status, "community_proposal", p)
}

func (w *Web) proposalVote(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	id := c.Param("id")
	if err := c.Request().ParseForm(); err != nil {
		return errs.BadRequest("bad form")
	}
	options := c.Request().PostForm["option"]
	if _, err := w.svc.Governance.Cast(c.Request().Context(), me, id, options, c.FormValue("reason")); err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderProposal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/proposals/"+id+"?done=voted")
}

func (w *Web) proposalWithdraw(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	id := c.Param("id")
	if _, err := w.svc.Governance.Withdraw(c.Request().Context(), me, id); err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderProposal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/proposals/"+id+"?done=withdrawn")
}

// ProposalRedirect is the browser view of a proposal's Question id
// (/proposals/:id, the link in the poll Mastodon shows): its page under the
// community.
func (w *Web) ProposalRedirect(c echo.Context) error {
	v, err := w.svc.Governance.Get(c.Request().Context(), nil, c.Param("id"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(v.Group)+"/proposals/"+v.Proposal.ID)
}

// proposalInput reads the proposal form: the kind's arguments from the fields
// the kind uses (member, role, charter, contribution) or, for kinds with
// structured arguments (change_settings, change_governance_settings and
// kinds other modules add), from the JSON field; an empty method or
// duration takes the community's defaults for the kind.
func proposalInput(form formValues) (service.ProposalInput, string) {
	in := service.ProposalInput{Kind: form["kind"], Title: form["title"], Motion: form["motion"], Method: form["method"],
		Choice: form["choice"], ThresholdBase: form["threshold_base"], QuorumKind: form["quorum_kind"], BallotMode: form["ballot_mode"],
		Block: form["block"] != "", EarlyClose: form["early_close"] != ""}
	if d := strings.TrimSpace(form["days"]); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil || days < 1 || days > 90 {
			return in, "the vote lasts 1 to 90 days"
		}
		in.ClosesAt = time.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	for _, o := range strings.Split(form["options"], "\n") {
		if o = strings.TrimSpace(o); o != "" {
			in.Options = append(in.Options, o)
		}
	}
	var args any
	switch in.Kind {
	case "", "motion":
	case "admit_member", "remove_member", "revoke_role":
		args = map[string]string{"member": form["member"]}
	case "grant_role":
		args = map[string]string{"member": form["member"], "role": form["role"]}
	case "amend_charter":
		args = map[string]string{"charter": form["charter"]}
	case "accept_contribution":
		args = map[string]string{"contribution": form["contribution"]}
	default:
		raw := strings.TrimSpace(form["args"])
		if raw == "" {
			raw = "{}"
		}
		if !json.Valid([]byte(raw)) {
			return in, "the arguments must be JSON"
		}
		in.Args = json.RawMessage(raw)
	}
	if args != nil {
		in.Args, _ = json.Marshal(args)
	}
	return in, ""
}

// proposalRevise: the author withdraws the proposal and opens a revision
// with a new title and motion (same kind, method and arguments).
func (w *Web) proposalRevise(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	v, err := w.svc.Governance.Get(ctx, me, c.Param("id"))
	if err != nil || v.Group.ID != group.ID {
		return errs.NotFound("proposal not found")
	}
	old := v.Proposal
	in := service.ProposalInput{Kind: old.Kind, Title: c.FormValue("title"), Motion: c.FormValue("motion"), Method: old.Method,
		QuorumNum: int64(old.QuorumNum), QuorumDen: int64(old.QuorumDen), QuorumKind: old.QuorumKind,
		ThresholdNum: int64(old.ThresholdNum), ThresholdDen: int64(old.ThresholdDen), ThresholdBase: old.ThresholdBase,
		Block: old.Block, Choice: old.Choice, EarlyClose: old.EarlyClose, BallotMode: old.BallotMode, Args: json.RawMessage(old.Args)}
	if old.Method == "choice" {
		in.Options = v.Options
	}
	if old.Method == "lazy_consensus" {
		in.QuorumNum, in.QuorumDen = 0, 1
	}
	p, err := w.svc.Governance.Revise(ctx, me, old.ID, in)
	if err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderProposal(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/proposals/"+p.ID)
}

type governanceData struct {
	Group    *models.Actor
	Path     string
	Settings service.GovernanceSettings
	Kinds    []string
	Steward  bool
	Error    string
	Done     bool
	Log      []*service.ProposalView
}

// governancePage shows a community's governance settings; its stewards may
// change them until they are entrenched.
func (w *Web) governancePage(c echo.Context) error {
	return w.renderGovernance(c, http.StatusOK, "")
}

func (w *Web) renderGovernance(c echo.Context, status int, msg string) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	s, err := w.svc.Governance.Settings(ctx, group)
	if err != nil {
		return err
	}
	d := governanceData{Group: group, Path: communityPath(group), Settings: s, Kinds: s.SortedKinds(), Error: msg, Done: c.QueryParam("done") == "saved"}
	if _, me := w.viewer(c); me != nil {
		d.Steward = w.svc.Communities.Role(ctx, group, me) == models.RoleCommunitySteward
	}
	p := w.page(c, "Governance of "+displayName(group))
	p.Data = d
	return w.render(c, status, "community_governance", p)
}

// governanceUpdate saves the settings form (stewards; refused once
// entrenched).
func (w *Web) governanceUpdate(c echo.Context) error {
	me, group, _, err := w.actingMember(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := w.svc.Governance.Settings(ctx, group)
	if err != nil {
		return err
	}
	in := service.GovernanceSettings{WhoMayPropose: c.FormValue("who_may_propose"), Entrenched: c.FormValue("entrenched") != "",
		ContributionsByProposal: c.FormValue("contributions_by_proposal") != "", LazyEscalation: c.FormValue("lazy_escalation"),
		Kinds: map[string]service.KindDefaults{}}
	for _, k := range cur.SortedKinds() {
		if c.FormValue(k+".method") == "" { // not on the form: unchanged
			in.Kinds[k] = cur.Kinds[k]
			continue
		}
		num := func(f string) int64 { n, _ := strconv.ParseInt(c.FormValue(k+"."+f), 10, 64); return n }
		in.Kinds[k] = service.KindDefaults{Method: c.FormValue(k + ".method"), QuorumNum: num("quorum_num"), QuorumDen: num("quorum_den"),
			QuorumKind: c.FormValue(k + ".quorum_kind"), ThresholdNum: num("threshold_num"), ThresholdDen: num("threshold_den"),
			ThresholdBase: c.FormValue(k + ".threshold_base"), Block: c.FormValue(k+".block") != "", WindowHours: num("window_hours")}
	}
	if _, err := w.svc.Governance.UpdateSettings(ctx, me, group, in); err != nil {
		if s := errs.Status(err); s < 500 && s != http.StatusNotFound {
			return w.renderGovernance(c, statusOf(err), errs.Message(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"/governance?done=saved")
}

// governanceLogPage is every decision of the community and its effect,
// newest first.
func (w *Web) governanceLogPage(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	list, err := w.svc.Governance.Log(ctx, group, 100)
	if err != nil {
		return err
	}
	views, err := w.svc.Governance.Views(ctx, nil, list)
	if err != nil {
		return err
	}
	p := w.page(c, "Governance log of "+displayName(group))
	p.Data = governanceData{Group: group, Path: communityPath(group), Log: views}
	return w.render(c, http.StatusOK, "community_governance_log", p)
}

// proposalsFeed is a community's proposals as a feed: each proposal when
// opened and, once decided, its outcome (newest first).
func (w *Web) proposalsFeed(c echo.Context) (*feeds.Feed, error) {
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return nil, err
	}
	list, err := w.svc.Governance.Recent(ctx, group, feedItems)
	if err != nil {
		return nil, err
	}
	base := w.cfg.Server.PublicURL
	f := &feeds.Feed{Title: "Proposals of " + displayName(group), Link: &feeds.Link{Href: base + communityPath(group) + "/proposals"},
		Description: "Proposals and outcomes of " + displayName(group), Id: group.URI + "#proposals", Created: group.CreatedAt}
	for _, p := range list {
		link := &feeds.Link{Href: base + communityPath(group) + "/proposals/" + p.ID}
		f.Items = append(f.Items, &feeds.Item{Title: "Proposal: " + p.Title, Id: p.URI, Link: link,
			Description: p.MotionHTML, Created: p.OpensAt})
		if p.ClosedAt != nil {
			f.Items = append(f.Items, &feeds.Item{Title: "Outcome (" + p.State + "): " + p.Title, Id: p.URI + "#outcome", Link: link,
				Description: html.EscapeString(p.Outcome), Created: *p.ClosedAt})
		}
	}
	sort.SliceStable(f.Items, func(i, j int) bool { return f.Items[i].Created.After(f.Items[j].Created) })
	if len(f.Items) > feedItems {
		f.Items = f.Items[:feedItems]
	}
	if len(f.Items) > 0 {
		f.Updated = f.Items[0].Created
	}
	return f, nil
}
