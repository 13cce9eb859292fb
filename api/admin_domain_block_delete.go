package api

import (
	"net/http"
	"net/url"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// adminDeleteDomainBlock is DELETE /api/v1/admin/domain_blocks/{domain} (admins):
// remove an admin's entry. Entries of the configuration file give 409.
func (a *API) adminDeleteDomainBlock(c echo.Context) error {
	domain, err := url.PathUnescape(c.Param("domain"))
	if err != nil {
		return errs.BadRequest("malformed domain")
	}
	if err := a.svc.Admin.RemoveDomainPolicy(c.Request().Context(), caller(c), domain); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
