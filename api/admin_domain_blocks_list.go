package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// adminListDomainBlocks is GET /api/v1/admin/domain_blocks: the configuration's
// and the admins' domain blocks (and allows), by domain.
func (a *API) adminListDomainBlocks(c echo.Context) error {
	list, err := a.svc.Admin.DomainPolicies(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	out := make([]domainBlockJSON, 0, len(list))
	for _, e := range list {
		out = append(out, domainBlockView(e))
	}
	return c.JSON(http.StatusOK, out)
}
