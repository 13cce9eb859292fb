package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type setRoleRequest struct {
	Role string `json:"role"`
}

// setMemberRole is PUT /api/v1/communities/{handle}/members/{actor}/role: a
// steward makes a member (handle, or URL-escaped actor URL) a member, maintainer or
// steward. The last steward cannot step down (409).
func (a *API) setMemberRole(c echo.Context) error {
	var req setRoleRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	who, err := pathParam(c, "actor")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	member, err := a.svc.Social.ResolveActor(ctx, who)
	if err != nil {
		return err
	}
	m, err := a.svc.Communities.SetRole(ctx, me, group, member, req.Role)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.memberView(m, member))
}
