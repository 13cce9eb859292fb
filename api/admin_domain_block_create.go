package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type createDomainBlockRequest struct {
	Domain string `json:"domain"`
	Reason string `json:"reason"`
	Policy string `json:"policy"`
}

// adminCreateDomainBlock is POST /api/v1/admin/domain_blocks (admins): block a
// domain and its subdomains, or allow one in allowlist mode. It applies at once
// to fetches, inboxes and deliveries; an existing entry is replaced.
func (a *API) adminCreateDomainBlock(c echo.Context) error {
	var req createDomainBlockRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := a.svc.Admin.PutDomainPolicy(c.Request().Context(), caller(c), req.Domain, req.Policy, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, domainBlockView(*e))
}
