package api

import (
	"net/http"
	"net/url"
	"strings"

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
	domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	ctx := c.Request().Context()
	p := a.fed.Policy()
	list, err := p.List(ctx)
	if err != nil {
		return err
	}
	found := false
	for _, e := range list {
		if e.Domain != domain {
			continue
		}
		if e.Source != "admin" {
			return errs.Conflict("%s is set in the configuration file", domain)
		}
		found = true
	}
	if !found {
		return errs.NotFound("no domain block for %s", domain)
	}
	if err := p.Unblock(ctx, domain); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
