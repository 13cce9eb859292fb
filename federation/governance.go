package federation

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/federation/convert"
)

// proposal serves a proposal's Question with its current tallies (Mastodon
// refetches a poll's URL to refresh it).
func (f *Federation) proposal(c echo.Context) error {
	q, err := f.svc.Governance.Question(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, convert.Question(q))
}
