package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
)

// Governance (issue 11): a community's proposals, votes and withdrawals. The
// rules are the service's (service/governance); proposals and their tallies
// are public, like the Question the Group publishes.

func (a *API) registerProposals(g *echo.Group) {
	auth, viewer := a.authenticate, a.communityViewer
	g.POST("/communities/:handle/proposals", a.createProposal, auth)
	g.GET("/communities/:handle/proposals", a.listProposals, viewer)
	g.GET("/proposals/:id", a.showProposal, viewer)
	g.POST("/proposals/:id/vote", a.voteProposal, auth)
	g.POST("/proposals/:id/withdraw", a.withdrawProposal, auth)
}

type proposalJSON struct {
	ID           string           `json:"id"`
	URI          string           `json:"uri"`
	Community    actorRefJSON     `json:"community"`
	Author       actorRefJSON     `json:"author"`
	Kind         string           `json:"kind"`
	Title        string           `json:"title"`
	Motion       string           `json:"motion"`
	MotionHTML   string           `json:"motion_html"`
	Method       string           `json:"method"`
	QuorumNum    int              `json:"quorum_num"`
	QuorumDen    int              `json:"quorum_den"`
	ThresholdNum int              `json:"threshold_num"`
	ThresholdDen int              `json:"threshold_den"`
	Options      []string         `json:"options"`
	Args         json.RawMessage  `json:"args"`
	OpensAt      time.Time        `json:"opens_at"`
	ClosesAt     time.Time        `json:"closes_at"`
	ClosedAt     *time.Time       `json:"closed_at"`
	State        string           `json:"state"`
	Outcome      string           `json:"outcome"`
	Counts       map[string]int64 `json:"counts"`
	Advisory     map[string]int64 `json:"advisory"`
	Cast         int64            `json:"cast"`
	Eligible     int64            `json:"eligible"`
	MyVote       string           `json:"my_vote"`
}

func (a *API) proposalView(c echo.Context, v *service.ProposalView) (proposalJSON, error) {
	p := v.Proposal
	refs, err := a.actorRefs(c.Request().Context(), []string{p.AuthorID})
	if err != nil {
		return proposalJSON{}, err
	}
	args := json.RawMessage(p.Args)
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	out := proposalJSON{ID: p.ID, URI: p.URI, Community: a.actorRef(v.Group), Author: refs[p.AuthorID],
		Kind: p.Kind, Title: p.Title, Motion: p.Motion, MotionHTML: p.MotionHTML, Method: p.Method,
		QuorumNum: p.QuorumNum, QuorumDen: p.QuorumDen, ThresholdNum: p.ThresholdNum, ThresholdDen: p.ThresholdDen,
		Options: v.Options, Args: args, OpensAt: p.OpensAt.UTC(), ClosesAt: p.ClosesAt.UTC(), State: p.State,
		Outcome: p.Outcome, Counts: v.Counts, Advisory: v.Advisory, Cast: v.Cast, Eligible: v.Eligible, MyVote: v.Mine}
	if p.ClosedAt != nil {
		t := p.ClosedAt.UTC()
		out.ClosedAt = &t
	}
	return out, nil
}

// respondProposal answers with proposal id as the caller sees it.
func (a *API) respondProposal(c echo.Context, status int, id string) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	v, err := a.svc.Governance.Get(c.Request().Context(), me, id)
	if err != nil {
		return err
	}
	out, err := a.proposalView(c, v)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// createProposal is POST /api/v1/communities/{handle}/proposals: a member
// opens a proposal (kind, title, motion, method and its parameters, closes_at,
// the kind's args).
func (a *API) createProposal(c echo.Context) error {
	var in service.ProposalInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	p, err := a.svc.Governance.Propose(c.Request().Context(), me, group, in)
	if err != nil {
		return err
	}
	return a.respondProposal(c, http.StatusCreated, p.ID)
}

// listProposals is GET /api/v1/communities/{handle}/proposals?limit&offset:
// open proposals first (closing soonest first), then the decided ones.
func (a *API) listProposals(c echo.Context) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := a.svc.Governance.List(ctx, group, limit, offset)
	if err != nil {
		return err
	}
	out := make([]proposalJSON, 0, len(list))
	for _, p := range list {
		v, err := a.svc.Governance.Get(ctx, me, p.ID)
		if err != nil {
			return err
		}
		j, err := a.proposalView(c, v)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, out)
}

// showProposal is GET /api/v1/proposals/{id}, with its current tallies.
func (a *API) showProposal(c echo.Context) error {
	return a.respondProposal(c, http.StatusOK, c.Param("id"))
}

type voteRequest struct {
	Option string `json:"option"`
}

// voteProposal is POST /api/v1/proposals/{id}/vote {option}: a member's vote
// (binding when they were a member at opening, advisory otherwise), which a
// later vote replaces until close.
func (a *API) voteProposal(c echo.Context) error {
	var req voteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if me == nil {
		return errs.Unauthorized("log in to vote")
	}
	if _, err := a.svc.Governance.Vote(c.Request().Context(), me, c.Param("id"), req.Option); err != nil {
		return err
	}
	return a.respondProposal(c, http.StatusOK, c.Param("id"))
}

// withdrawProposal is POST /api/v1/proposals/{id}/withdraw: the author or a
// steward ends an open proposal without a decision.
func (a *API) withdrawProposal(c echo.Context) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	if _, err := a.svc.Governance.Withdraw(c.Request().Context(), me, c.Param("id")); err != nil {
		return err
	}
	return a.respondProposal(c, http.StatusOK, c.Param("id"))
}
