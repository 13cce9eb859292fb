package api

import (
	"github.com/labstack/echo/v4"
)

type rejectContributionRequest struct {
	Reason string `json:"reason"`
}

// rejectContribution is POST /api/v1/contributions/{id}/reject {reason}
// (maintainers); the reason is required and goes back to the contributor.
func (a *API) rejectContribution(c echo.Context) error {
	var req rejectContributionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	return a.decideContribution(c, false, req.Reason)
}
