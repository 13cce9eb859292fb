package api

import (
	"net/http"
	"strconv"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// listContributions is GET /api/v1/communities/{handle}/contributions?state&limit&offset:
// state open (the default: awaiting review, including changes requested) or
// accepted. For a remote community it lists the copies this instance holds.
func (a *API) listContributions(c echo.Context) error {
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if state == "" {
		state = models.ContributionOpen
	}
	if state != models.ContributionOpen && state != models.ContributionAccepted {
		return errs.BadRequest("state must be open or accepted")
	}
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var list []models.Contribution
	if state == models.ContributionOpen {
		list, err = a.svc.Communities.OpenContributions(ctx, group, limit, offset)
	} else {
		var total int64
		list, total, err = a.svc.Communities.Commons(ctx, group, "", limit, offset)
		c.Response().Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	}
	if err != nil {
		return err
	}
	out, err := a.contributionViews(ctx, list, group)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
