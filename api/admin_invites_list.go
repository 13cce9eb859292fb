package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// adminListInvites is GET /api/v1/admin/invites, newest first.
func (a *API) adminListInvites(c echo.Context) error {
	invs, err := a.svc.Instance.Invites(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]inviteJSON, 0, len(invs))
	for i := range invs {
		out = append(out, a.inviteView(&invs[i]))
	}
	return c.JSON(http.StatusOK, out)
}
