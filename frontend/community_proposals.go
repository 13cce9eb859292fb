package frontend

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

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
}

type proposalsData struct {
	Group     *models.Actor
	Path      string
	Proposals []models.Proposal
	CanOpen   bool
	Error     string
	Form      formValues
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
	Error       string
	Done        string
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
	d := proposalsData{Group: group, Path: communityPath(group), Proposals: list, Error: msg, Form: form}
	if _, me := w.viewer(c); me != nil && w.svc.Communities.Role(ctx, group, me) != "" {
		d.CanOpen = true
	}
	if d.Form == nil {
		d.Form = formValues{"method": "majority", "kind": "motion", "days": "3"}
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
	for _, k := range []string{"kind", "title", "motion", "method", "days", "member", "role"} {
		form[k] = c.FormValue(k)
	}
	in := service.ProposalInput{Kind: form["kind"], Title: form["title"], Motion: form["motion"], Method: form["method"]}
	if days, err := strconv.Atoi(form["days"]); err != nil || days < 1 || days > 90 {
		return w.renderProposals(c, http.StatusUnprocessableEntity, form, "the vote lasts 1 to 90 days")
	} else {
		in.ClosesAt = time.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	if in.Kind != "" && in.Kind != "motion" {
		args := map[string]string{"member": form["member"]}
		if in.Kind == "grant_role" {
			args["role"] = form["role"]
		}
		in.Args, _ = json.Marshal(args)
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
	if me != nil && v.Proposal.State == models.ProposalOpen {
		d.CanVote = true
		role := w.svc.Communities.Role(ctx, group, me)
		d.Member = role != ""
		d.CanWithdraw = me.ID == v.Proposal.AuthorID || role == models.RoleCommunitySteward
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
	if _, err := w.svc.Governance.Vote(c.Request().Context(), me, id, c.FormValue("option")); err != nil {
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
