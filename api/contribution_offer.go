package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type offerContributionRequest struct {
	Title          string   `json:"title"`
	Body           string   `json:"body"`
	Kind           string   `json:"kind"`
	Links          []string `json:"links"`
	Licence        string   `json:"licence"`
	CoContributors []string `json:"co_contributors"`
}

// offerContribution is POST /api/v1/communities/{handle}/contributions: offer work
// to a commons. A local community stores it for review under its offer policy; a
// remote one (by @name@host or URL) is sent an Offer.
func (a *API) offerContribution(c echo.Context) error {
	var req offerContributionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	group, _, err := a.community(c, true)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := a.svc.Communities.Offer(ctx, me, group, service.ContributionInput{Title: req.Title, Body: req.Body,
		Kind: req.Kind, Licence: req.Licence, Links: req.Links, CoContributors: req.CoContributors}, nil)
	if err != nil {
		return err
	}
	v, err := a.contributionView(ctx, co, group)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/contributions/"+co.ID)
	return c.JSON(http.StatusCreated, v)
}
