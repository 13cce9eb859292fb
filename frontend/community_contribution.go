package frontend

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// The contribution page: what was offered, by whom, under which licence, its review
// thread and, for the community's maintainers, the review actions and the ledger
// weights of an accepted contribution.

type commentView struct {
	Comment models.ReviewComment
	Author  *person
}

type ledgerView struct {
	Entry       models.LedgerEntry
	Contributor *person
	Title       string
	Page        string
}

type contributionData struct {
	C             contributionView
	Group         *person
	GroupPath     string
	LocalGroup    bool
	Comments      []commentView
	Timeline      []timelineItem // revisions and comments in order
	Revisions     []revisionView
	MayRevise     bool // the viewer is the contributor and the offer is revisable
	MayWithdraw   bool // the viewer is the contributor and the offer is undecided
	IsMaintainer  bool
	IsContributor bool
	Decided       bool
	Ledger        []ledgerView
	WeightMin     int
	WeightMax     int

	Comment *form
	Decide  *form
	Weight  *form
	Notice  string
	Error   string

	// MayConfirmCredit: the viewer is a pending co-contributor.
	MayConfirmCredit bool
	// Bounty is the bounty the contribution claims (issue 12), if any.
	Bounty *models.Announcement
}

var contributionNotices = map[string]string{
	"offered": "Your contribution was offered. The community's maintainers will review it.",
	"comment": "Comment added.", "changes": "Changes requested.", "accepted": "Contribution accepted into the commons.",
	"rejected": "Contribution rejected.", "weight": "Ledger weight saved.",
	"credit":  "Thank you: you are now credited as a co-contributor.",
	"revised": "Your revision was saved; the maintainers will review it again.", "withdrawn": "Contribution withdrawn.",
}

// ContributionPage is the browser view of /contributions/:id (federation serves the
// ActivityPub object at the same URL).
func (w *Web) ContributionPage(c echo.Context) error {
	notice := contributionNotices[c.QueryParam("done")]
	return w.renderContribution(c, http.StatusOK, func(d *contributionData) { d.Notice = notice })
}

func (w *Web) renderContribution(c echo.Context, status int, edit func(*contributionData)) error {
	ctx := c.Request().Context()
	co, group, err := w.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	_, me := w.viewer(c)
	ppl := w.people(ctx)
	d := &contributionData{C: ppl.contribution(*co), Group: w.personOf(group), LocalGroup: group.Local(),
		Decided: co.State == models.ContributionAccepted || co.State == models.ContributionRejected,
		Comment: newForm(), Decide: newForm(), Weight: newForm()}
	d.GroupPath = d.Group.URL
	d.Bounty = w.svc.Economy.ClaimedBounty(ctx, co.ID)
	if me != nil && co.ContributorID == me.ID && me.Local() {
		d.IsContributor = true
		d.MayWithdraw = co.State == models.ContributionOpen || co.State == models.ContributionChangesRequested
		d.MayRevise = d.MayWithdraw || co.State == models.ContributionRejected
	}
	revs, err := w.svc.Communities.Revisions(ctx, co)
	if err != nil {
		return err
	}
	d.Revisions = ppl.revisions(revs, co.Revision)
	if group.Local() {
		d.GroupPath = communityPath(group)
		if com, err := w.svc.Communities.ByActor(ctx, group); err == nil {
			d.WeightMin, d.WeightMax = com.WeightMin, com.WeightMax
		}
		if me != nil {
			role := w.svc.Communities.Role(ctx, group, me)
			d.IsMaintainer = role == models.RoleCommunityMaintainer || role == models.RoleCommunitySteward
			d.IsContributor = co.ContributorID == me.ID
			for _, u := range service.PendingContributors(co) {
				d.MayConfirmCredit = d.MayConfirmCredit || u == me.URI
			}
		}
		comments, err := w.svc.Communities.Comments(ctx, co.ID)
		if err != nil {
			return err
		}
		for _, rc := range comments {
			d.Comments = append(d.Comments, commentView{Comment: rc, Author: ppl.id(rc.AuthorID)})
		}
		d.Timeline = timeline(d.Revisions, d.Comments)
		if co.State == models.ContributionAccepted {
			entries, err := w.ledgerEntries(c, group, co.ID)
			if err != nil {
				return err
			}
			d.Ledger = ppl.ledger(entries, map[string]string{co.ID: co.Title})
		}
	}
	if edit != nil {
		edit(d)
	}
	p := w.page(c, co.Title)
	p.Data = d
	return w.render(c, status, "community_contribution", p)
}

// ledgerEntries finds a contribution's ledger entries (the service pages the
// community's ledger, newest first; entries are written at acceptance).
func (w *Web) ledgerEntries(c echo.Context, group *models.Actor, contributionID string) ([]models.LedgerEntry, error) {
	const page, maxPages = 500, 20
	var out []models.LedgerEntry
	for i := 0; i < maxPages; i++ {
		entries, _, err := w.svc.Communities.Ledger(c.Request().Context(), group, page, i*page)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.ContributionID == contributionID {
				out = append(out, e)
			}
		}
		if len(entries) < page {
			break
		}
	}
	return out, nil
}

func (p *people) ledger(entries []models.LedgerEntry, titles map[string]string) []ledgerView {
	out := make([]ledgerView, 0, len(entries))
	for _, e := range entries {
		out = append(out, ledgerView{Entry: e, Contributor: p.id(e.ContributorID), Title: titles[e.ContributionID],
			Page: "/contributions/" + e.ContributionID})
	}
	return out
}

// contributionActor checks log-in and loads the viewer's actor.
func (w *Web) contributionActor(c echo.Context) (*models.Actor, error) {
	u, err := w.requireUser(c)
	if u == nil {
		return nil, err
	}
	return w.svc.Accounts.ActorOf(c.Request().Context(), u)
}

// formFailure re-renders the contribution page with the error on one of its forms;
// permission errors go to the error page.
func (w *Web) contributionFailure(c echo.Context, err error, set func(*contributionData, string)) error {
	switch errs.Status(err) {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusInternalServerError:
		return err
	}
	msg := errs.Message(err)
	return w.renderContribution(c, statusOf(err), func(d *contributionData) {
		if errs.Status(err) == http.StatusConflict { // the state changed: the form may be gone
			d.Error = msg
			return
		}
		set(d, msg)
	})
}

func (w *Web) contributionComment(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	body := c.FormValue("body")
	changes := c.FormValue("request_changes") != ""
	if _, err := w.svc.Communities.Comment(c.Request().Context(), me, c.Param("id"), body, changes); err != nil {
		return w.contributionFailure(c, err, func(d *contributionData, msg string) {
			d.Comment.Values["body"] = body
			d.Comment.invalid("body", msg)
		})
	}
	done := "comment"
	if changes {
		done = "changes"
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+c.Param("id")+"?done="+done+"#review")
}

func (w *Web) contributionDecide(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	var accept bool
	switch c.FormValue("decision") {
	case "accept":
		accept = true
	case "reject":
	default:
		return errs.BadRequest("decision must be accept or reject")
	}
	reason := c.FormValue("reason")
	if _, err := w.svc.Communities.Decide(c.Request().Context(), me, c.Param("id"), accept, reason); err != nil {
		return w.contributionFailure(c, err, func(d *contributionData, msg string) {
			d.Decide.Values["reason"] = reason
			d.Decide.invalid("reason", msg)
		})
	}
	done := "rejected"
	if accept {
		done = "accepted"
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+c.Param("id")+"?done="+done)
}

func (w *Web) contributionWeight(c echo.Context) error {
	me, err := w.contributionActor(c)
	if me == nil {
		return err
	}
	ctx := c.Request().Context()
	co, group, err := w.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	entry := c.FormValue("entry")
	weight, perr := strconv.Atoi(strings.TrimSpace(c.FormValue("weight")))
	if perr != nil {
		err = errs.Unprocessable("weight must be a whole number")
	} else {
		err = w.svc.Communities.SetWeight(ctx, me, group, entry, weight)
	}
	if err != nil {
		return w.contributionFailure(c, err, func(d *contributionData, msg string) {
			d.Weight.Values["entry"] = entry
			d.Weight.invalid(entry, msg)
		})
	}
	return c.Redirect(http.StatusSeeOther, "/contributions/"+co.ID+"?done=weight#ledger")
}
