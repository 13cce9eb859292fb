package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type inviteMemberRequest struct {
	Actor string `json:"actor"`
}

// inviteMember is POST /api/v1/communities/{handle}/invites {actor}: a maintainer
// invites an actor (handle or URL); joining then makes them a member.
func (a *API) inviteMember(c echo.Context) error {
	var req inviteMemberRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	m, invitee, err := a.svc.Communities.InviteByHandle(c.Request().Context(), me, group, req.Actor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a.memberView(m, invitee))
}
