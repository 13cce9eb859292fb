package api

import (
	"net/http"

	"github.com/commonsd/commonsd/models"

	"github.com/labstack/echo/v4"
)

type joinByFollowRequest struct {
	Account string `json:"account"`
}

type joinByFollowJSON struct {
	Member memberJSON `json:"member"`
	// Follow is the community's actor id: the account must follow it to confirm.
	Follow    string `json:"follow"`
	ExpiresAt string `json:"expires_at"`
}

// joinByFollow is POST /api/v1/communities/{handle}/join_by_follow, "join from
// another server": the account (@name@host, on a server that cannot send Join)
// is recorded as awaiting_follow; its Follow of the community, which only its
// owner can send, turns that into a membership or a request under the policy.
// No token: the Follow is the proof.
func (a *API) joinByFollow(c echo.Context) error {
	var req joinByFollowRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	act, m, err := a.svc.Communities.RequestByFollow(c.Request().Context(), group, req.Account)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, joinByFollowJSON{Member: a.memberView(m, act), Follow: group.URI,
		ExpiresAt: m.CreatedAt.Add(models.AwaitingFollowTTL).UTC().Format("2006-01-02T15:04:05Z")})
}
