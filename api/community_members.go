package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// communityMembers is GET /api/v1/communities/{handle}/members?state&limit&offset.
// Active members are public when the community shows them (else members only);
// pending requests and invitations are for maintainers.
func (a *API) communityMembers(c echo.Context) error {
	state := c.QueryParam("state")
	switch state {
	case "", models.MembershipActive, models.MembershipPending, models.MembershipInvited, models.MembershipAwaitingFollow:
	default:
		return errs.BadRequest("state must be active, pending, invited or awaiting_follow")
	}
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	rows, err := a.svc.Communities.Members(c.Request().Context(), me, group, state, limit, offset)
	if err != nil {
		return err
	}
	out := make([]memberJSON, 0, len(rows))
	for i := range rows {
		out = append(out, a.memberView(&rows[i].Membership, &rows[i].Actor))
	}
	return c.JSON(http.StatusOK, out)
}
