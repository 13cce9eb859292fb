package api

import (
	"net/http"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"

	"github.com/labstack/echo/v4"
)

type joinByFollowRequest struct {
	Account string `json:"account"`
}

type joinByFollowJSON struct {
	Member memberJSON `json:"member"`
	// Code confirms the request when the account sends it to the community.
	Code string `json:"code"`
	// Message is a ready-to-send text: the community's handle and the code.
	Message string `json:"message"`
	// Follow is the community's actor id (following it lets the account read
	// its posts; it does not confirm the request).
	Follow    string `json:"follow"`
	ExpiresAt string `json:"expires_at"`
}

// joinByFollow is POST /api/v1/communities/{handle}/join_by_follow, "join from
// another server": the account (@name@host, on a server that cannot send Join)
// is recorded as awaiting_follow, and the answer gives the code that account
// must send the community in a message (signed by its server, so only its
// owner can) to turn the request into a membership under the policy. Anyone may
// call it (the requester need not be logged in here), at most a few times a
// minute per client address (429).
func (a *API) joinByFollow(c echo.Context) error {
	var req joinByFollowRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	act, m, err := a.svc.Communities.RequestByFollow(c.Request().Context(), group, req.Account, c.RealIP())
	if err != nil {
		return err
	}
	handle := "@" + group.Username + "@" + group.Domain
	if group.Domain == "" {
		handle = "@" + group.Username + "@" + a.svc.Cfg.PublicHost()
	}
	return c.JSON(http.StatusAccepted, joinByFollowJSON{Member: a.memberView(m, act), Code: service.JoinCode(m),
		Message: service.JoinMessage(handle, m), Follow: group.URI,
		ExpiresAt: m.CreatedAt.Add(models.AwaitingFollowTTL).UTC().Format("2006-01-02T15:04:05Z")})
}
