package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// decideMember is POST /api/v1/communities/{handle}/members/{id}/approve (200, the
// membership) and .../refuse (204): a maintainer answers a pending request. A remote
// applicant's server gets the Accept or Reject.
func (a *API) decideMember(approve bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		group, _, err := a.localCommunity(c)
		if err != nil {
			return err
		}
		me, err := a.me(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		m, err := a.svc.Communities.DecideMembership(ctx, me, group, c.Param("id"), approve)
		if err != nil {
			return err
		}
		if !approve {
			return c.NoContent(http.StatusNoContent)
		}
		member, err := a.svc.Actors.ByID(ctx, m.ActorID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, a.memberView(m, member))
	}
}
