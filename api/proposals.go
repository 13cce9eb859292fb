package api

import (
	"encoding/json"
	"github.com/commonsd/commonsd/models"
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
	g.POST("/proposals/:id/revise", a.reviseProposal, auth)
	g.GET("/proposals/:id/ballots", a.proposalBallots, viewer)
	g.GET("/communities/:handle/governance", a.governanceSettings, viewer)
	g.PUT("/communities/:handle/governance", a.updateGovernanceSettings, auth)
	g.GET("/communities/:handle/governance/log", a.governanceLog, viewer)
	g.GET("/polls/:id", a.showPoll, auth)
	g.POST("/polls/:id/votes", a.votePoll, auth)
}

type pollJSON struct {
	ID       string               `json:"id"`
	Multiple bool                 `json:"multiple"`
	Options  []service.PollOption `json:"options"`
	Voters   int64                `json:"voters_count"`
	EndTime  *time.Time           `json:"expires_at"`
	Closed   bool                 `json:"expired"`
	OwnVotes []string             `json:"own_votes"`
	Voted    bool                 `json:"voted"`
}

func pollOut(v *service.PollView) pollJSON {
	out := pollJSON{ID: v.NoteID, Multiple: v.Multiple, Options: v.Options, Voters: v.Voters, EndTime: v.EndTime,
		Closed: v.Closed, OwnVotes: v.Mine, Voted: len(v.Mine) > 0}
	if out.OwnVotes == nil {
		out.OwnVotes = []string{}
	}
	if out.Options == nil {
		out.Options = []service.PollOption{}
	}
	return out
}

// showPoll is GET /api/v1/polls/{id}: the poll of a remote Question (id is
// the note's), with the caller's votes.
func (a *API) showPoll(c echo.Context) error {
	me, err := a.me(c)
	if err != nil {
		return err
	}
	m, err := a.svc.Governance.Polls(c.Request().Context(), me, []string{c.Param("id")})
	if err != nil {
		return err
	}
	v := m[c.Param("id")]
	if v == nil {
		return errs.NotFound("no poll")
	}
	return c.JSON(http.StatusOK, pollOut(v))
}

type pollVoteRequest struct {
	Options []string `json:"options"`
}

// votePoll is POST /api/v1/polls/{id}/votes {options}: the caller votes on a
// remote poll; the vote goes to the poll's author as Mastodon sends it.
func (a *API) votePoll(c echo.Context) error {
	var req pollVoteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	v, err := a.svc.Governance.VotePoll(c.Request().Context(), me, c.Param("id"), req.Options)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pollOut(v))
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
	// Second slice: the rest of the method, links and breakdowns.
	QuorumKind         string             `json:"quorum_kind"`
	ThresholdBase      string             `json:"threshold_base"`
	Block              bool               `json:"block"`
	Choice             string             `json:"choice"`
	EarlyClose         bool               `json:"early_close"`
	BallotMode         string             `json:"ballot_mode"`
	Escalate           string             `json:"escalate"`
	RevisionOf         string             `json:"revision_of"`
	RevisedBy          string             `json:"revised_by"`
	EscalatedFrom      string             `json:"escalated_from"`
	Voters             int64              `json:"voters"`
	MyVotes            []string           `json:"my_votes"`
	AdvisoryByInstance []instanceVoteJSON `json:"advisory_by_instance"`
	Rules              []string           `json:"rules"`
}

type instanceVoteJSON struct {
	Instance string `json:"instance"`
	Option   string `json:"option"`
	Count    int64  `json:"count"`
}

func (a *API) proposalView(c echo.Context, v *service.ProposalView) (proposalJSON, error) {
	refs, err := a.actorRefs(c.Request().Context(), []string{v.Proposal.AuthorID})
	if err != nil {
		return proposalJSON{}, err
	}
	return a.proposalJSON(v, refs), nil
}

// proposalJSON renders v with its author's reference from refs (read for a
// whole page at once).
func (a *API) proposalJSON(v *service.ProposalView, refs map[string]actorRefJSON) proposalJSON {
	p := v.Proposal
	args := json.RawMessage(p.Args)
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	out := proposalJSON{ID: p.ID, URI: p.URI, Community: a.actorRef(v.Group), Author: refs[p.AuthorID],
		Kind: p.Kind, Title: p.Title, Motion: p.Motion, MotionHTML: p.MotionHTML, Method: p.Method,
		QuorumNum: p.QuorumNum, QuorumDen: p.QuorumDen, ThresholdNum: p.ThresholdNum, ThresholdDen: p.ThresholdDen,
		Options: v.Options, Args: args, OpensAt: p.OpensAt.UTC(), ClosesAt: p.ClosesAt.UTC(), State: p.State,
		Outcome: p.Outcome, Counts: v.Counts, Advisory: v.Advisory, Cast: v.Cast, Eligible: v.Eligible, MyVote: v.Mine,
		QuorumKind: p.QuorumKind, ThresholdBase: p.ThresholdBase, Block: p.Block, Choice: p.Choice, EarlyClose: p.EarlyClose,
		BallotMode: p.BallotMode, Escalate: p.Escalate, RevisionOf: p.RevisionOf, RevisedBy: v.RevisedBy, EscalatedFrom: p.EscalatedFrom,
		Voters: v.Voters, MyVotes: v.MineAll, AdvisoryByInstance: []instanceVoteJSON{}, Rules: v.Lines}
	if out.MyVotes == nil {
		out.MyVotes = []string{}
	}
	for _, c := range v.AdvisoryByInstance {
		host := c.Domain
		if host == "" {
			host = a.svc.Cfg.PublicHost()
		}
		out.AdvisoryByInstance = append(out.AdvisoryByInstance, instanceVoteJSON{Instance: host, Option: c.Option, Count: c.N})
	}
	if p.ClosedAt != nil {
		t := p.ClosedAt.UTC()
		out.ClosedAt = &t
	}
	return out
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
	return a.respondProposals(c, me, list)
}

// showProposal is GET /api/v1/proposals/{id}, with its current tallies.
func (a *API) showProposal(c echo.Context) error {
	return a.respondProposal(c, http.StatusOK, c.Param("id"))
}

type voteRequest struct {
	Option  string   `json:"option"`
	Options []string `json:"options"`
	Reason  string   `json:"reason"`
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
	options := req.Options
	if req.Option != "" {
		options = append([]string{req.Option}, options...)
	}
	if _, err := a.svc.Governance.Cast(c.Request().Context(), me, c.Param("id"), options, req.Reason); err != nil {
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

// reviseProposal is POST /api/v1/proposals/{id}/revise: its author withdraws
// an open proposal and opens the revision (linked by revision_of); voting
// starts afresh.
func (a *API) reviseProposal(c echo.Context) error {
	var in service.ProposalInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	p, err := a.svc.Governance.Revise(c.Request().Context(), me, c.Param("id"), in)
	if err != nil {
		return err
	}
	return a.respondProposal(c, http.StatusCreated, p.ID)
}

type ballotJSON struct {
	Voter  string `json:"voter"`
	Option string `json:"option"`
}

// proposalBallots is GET /api/v1/proposals/{id}/ballots: who voted how, for a
// closed open-ballot proposal (404 otherwise).
func (a *API) proposalBallots(c echo.Context) error {
	list, err := a.svc.Governance.Ballots(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	out := make([]ballotJSON, 0, len(list))
	for _, b := range list {
		out = append(out, ballotJSON{Voter: b.VoterURI, Option: b.Option})
	}
	return c.JSON(http.StatusOK, out)
}

// governanceSettings is GET /api/v1/communities/{handle}/governance.
func (a *API) governanceSettings(c echo.Context) error {
	group, _, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	s, err := a.svc.Governance.Settings(c.Request().Context(), group)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// updateGovernanceSettings is PUT /api/v1/communities/{handle}/governance
// (stewards, until the settings are entrenched; then 403: only a
// change_governance_settings proposal changes them).
func (a *API) updateGovernanceSettings(c echo.Context) error {
	var in service.GovernanceSettings
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	s, err := a.svc.Governance.UpdateSettings(c.Request().Context(), me, group, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// governanceLog is GET /api/v1/communities/{handle}/governance/log: every
// decided proposal with its outcome and effect, newest first.
func (a *API) governanceLog(c echo.Context) error {
	limit, _, err := pageParams(c)
	if err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := a.svc.Governance.Log(ctx, group, limit)
	if err != nil {
		return err
	}
	return a.respondProposals(c, me, list)
}

// respondProposals answers with the views of list as me sees them (the list
// pages and the governance log share it).
func (a *API) respondProposals(c echo.Context, me *models.Actor, list []models.Proposal) error {
	ctx := c.Request().Context()
	views, err := a.svc.Governance.Views(ctx, me, list)
	if err != nil {
		return err
	}
	authors := make([]string, len(list))
	for i := range list {
		authors[i] = list[i].AuthorID
	}
	refs, err := a.actorRefs(ctx, authors)
	if err != nil {
		return err
	}
	out := make([]proposalJSON, 0, len(views))
	for _, v := range views {
		out = append(out, a.proposalJSON(v, refs))
	}
	return c.JSON(http.StatusOK, out)
}
