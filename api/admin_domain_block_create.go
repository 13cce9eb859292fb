package api

import (
	"errors"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/fetch"
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
	ctx := c.Request().Context()
	p := a.fed.Policy()
	var err error
	switch req.Policy {
	case "", fetch.PolicyBlock:
		err = p.Block(ctx, req.Domain, req.Reason)
	case fetch.PolicyAllow:
		err = p.Allow(ctx, req.Domain, req.Reason)
	default:
		return errs.Unprocessable("policy must be block or allow")
	}
	if err != nil {
		return err
	}
	list, err := p.List(ctx)
	if err != nil {
		return err
	}
	// The entry just written is the newest of the admins' (the policy normalises
	// the domain, so it is found by time rather than by name).
	var newest *fetch.Entry
	for i := range list {
		if e := &list[i]; e.Source == "admin" && (newest == nil || e.At.After(newest.At)) {
			newest = e
		}
	}
	if newest == nil {
		return errs.Internal(errors.New("domain policy entry vanished after writing it"))
	}
	return c.JSON(http.StatusCreated, domainBlockView(*newest))
}
