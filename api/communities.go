package api

import (
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// registerCommunities mounts communities (issue 4): directory and profiles,
// membership and roles, contributions and their review, the commons and its
// ledger, discussions.
func (a *API) registerCommunities(g *echo.Group) {
	auth, viewer := a.authenticate, a.communityViewer

	g.POST("/communities", a.createCommunity, auth)
	g.GET("/communities", a.communityDirectory)
	g.GET("/communities/:handle", a.showCommunity, viewer)

	g.POST("/communities/:handle/join", a.joinCommunity, auth)
	g.POST("/communities/:handle/join_by_follow", a.joinByFollow)
	g.POST("/communities/:handle/leave", a.leaveCommunity, auth)
	g.GET("/communities/:handle/members", a.communityMembers, viewer)
	g.POST("/communities/:handle/members/:id/approve", a.decideMember(true), auth)
	g.POST("/communities/:handle/members/:id/refuse", a.decideMember(false), auth)
	g.PUT("/communities/:handle/members/:actor/role", a.setMemberRole, auth)
	g.POST("/communities/:handle/invites", a.inviteMember, auth)
	g.POST("/communities/:handle/images/:slot", a.uploadCommunityImage, auth)
	g.GET("/communities/:handle/roles/log", a.communityRoleLog, viewer)

	g.POST("/communities/:handle/contributions", a.offerContribution, auth)
	g.GET("/communities/:handle/contributions", a.listContributions, viewer)
	g.GET("/contributions/:id", a.showContribution)
	g.POST("/contributions/:id/comments", a.commentContribution, auth)
	g.POST("/contributions/:id/accept", a.acceptContribution, auth)
	g.POST("/contributions/:id/reject", a.rejectContribution, auth)
	g.POST("/contributions/:id/confirm_credit", a.confirmCredit, auth)

	g.GET("/communities/:handle/commons", a.communityCommons, viewer)
	g.GET("/communities/:handle/ledger", a.communityLedger, viewer)
	g.GET("/communities/:handle/ledger.csv", a.communityLedgerCSV, viewer)
	g.PUT("/communities/:handle/ledger/:entry", a.setLedgerWeight, auth)

	g.GET("/communities/:handle/discussions", a.communityDiscussions, viewer)
	g.POST("/communities/:handle/discussions", a.postDiscussion, auth)
	g.GET("/communities/:handle/discussions/:note", a.communityThread, viewer)
	g.POST("/communities/:handle/discussions/:note/moderate", a.moderateDiscussion, auth)
}

// communityViewer authenticates when an Authorization header is sent (a bad token
// is still a 401) and lets anonymous requests through: public community routes
// show more to members.
func (a *API) communityViewer(next echo.HandlerFunc) echo.HandlerFunc {
	authed := a.authenticate(next)
	return func(c echo.Context) error {
		if c.Request().Header.Get(echo.HeaderAuthorization) == "" {
			return next(c)
		}
		return authed(c)
	}
}

// me is the caller's actor, nil on an anonymous request.
func (a *API) me(c echo.Context) (*models.Actor, error) {
	u := caller(c)
	if u == nil {
		return nil, nil
	}
	return a.svc.Accounts.ActorOf(c.Request().Context(), u)
}

// pathParam is a URL-decoded path parameter (echo hands over the raw, escaped
// segment when the path holds escapes such as %40 or %2F).
func pathParam(c echo.Context, name string) (string, error) {
	v, err := url.PathUnescape(c.Param(name))
	if err != nil {
		return "", errs.BadRequest("path parameter %s is not validly escaped", name)
	}
	return v, nil
}

// community loads the community named by the :handle parameter: "name", "@name",
// "@name@host" or an actor URL. A remote one is resolved (fetched when unknown)
// only when remote is set, and only for a logged-in caller; its community row is
// then nil.
func (a *API) community(c echo.Context, remote bool) (*models.Actor, *models.Community, error) {
	h, err := pathParam(c, "handle")
	if err != nil {
		return nil, nil, err
	}
	h = strings.TrimSpace(h)
	ctx := c.Request().Context()
	name := strings.TrimPrefix(h, "@")
	if user, host, ok := strings.Cut(name, "@"); ok && strings.EqualFold(host, a.svc.Cfg.PublicHost()) {
		return a.svc.Communities.Local(ctx, user)
	} else if !ok && !strings.Contains(name, "/") {
		return a.svc.Communities.Local(ctx, name)
	}
	if strings.HasPrefix(h, a.svc.Cfg.Server.PublicURL+"/") {
		act, com, err := a.svc.Communities.Resolve(ctx, h)
		if err == nil && com == nil {
			err = errs.NotFound("community not found")
		}
		return act, com, err
	}
	if !remote {
		return nil, nil, errs.NotFound("%s is not a community of this instance; it is managed on its own instance", h)
	}
	if caller(c) == nil {
		return nil, nil, challenge(c, `Bearer realm="commonsd"`, errs.Unauthorized("log in to look up communities on other instances"))
	}
	return a.svc.Communities.Resolve(ctx, h)
}

// localCommunity is community for the routes that only make sense on the
// community's own instance.
func (a *API) localCommunity(c echo.Context) (*models.Actor, *models.Community, error) {
	return a.community(c, false)
}

// page reads limit and offset.
func page(c echo.Context) (limit, offset int, err error) {
	if limit, err = queryInt(c, "limit", defaultPageSize, 1, maxPageSize); err != nil {
		return 0, 0, err
	}
	offset, err = queryInt(c, "offset", 0, 0, 1<<31-1)
	return limit, offset, err
}

// communityAndMe loads the local community of the route and the calling actor:
// the start of every member or maintainer action.
func (a *API) communityAndMe(c echo.Context) (group, me *models.Actor, err error) {
	if group, _, err = a.localCommunity(c); err != nil {
		return nil, nil, err
	}
	if me, err = a.me(c); err != nil {
		return nil, nil, err
	}
	return group, me, nil
}
