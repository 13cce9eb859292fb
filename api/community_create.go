package api

import (
	"net/http"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type createCommunityRequest struct {
	Handle           string      `json:"handle"`
	Name             string      `json:"name"`
	Summary          string      `json:"summary"`
	Licence          string      `json:"licence"`
	Charter          string      `json:"charter"`
	Links            []fieldJSON `json:"links"`
	PostingPolicy    string      `json:"posting_policy"`
	OfferPolicy      string      `json:"offer_policy"`
	MembershipPolicy string      `json:"membership_policy"`
	MembersPublic    bool        `json:"members_public"`
	ApproveFollowers bool        `json:"approve_followers"`
	WeightMin        int         `json:"weight_min"`
	WeightMax        int         `json:"weight_max"`
}

// createCommunity is POST /api/v1/communities: found a community; the caller
// becomes its first steward.
func (a *API) createCommunity(c echo.Context) error {
	var req createCommunityRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	links := make([]models.Field, 0, len(req.Links))
	for _, l := range req.Links {
		links = append(links, models.Field{Name: l.Name, Value: l.Value})
	}
	ctx := c.Request().Context()
	group, com, err := a.svc.Communities.Create(ctx, caller(c), service.CommunityInput{Handle: req.Handle, Name: req.Name,
		Summary: req.Summary, Licence: req.Licence, Charter: req.Charter, Links: links, PostingPolicy: req.PostingPolicy,
		OfferPolicy: req.OfferPolicy, MembershipPolicy: req.MembershipPolicy, MembersPublic: req.MembersPublic,
		ApproveFollowers: req.ApproveFollowers, WeightMin: req.WeightMin, WeightMax: req.WeightMax})
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	v, err := a.communityView(ctx, group, com, true, me)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/communities/"+group.Username)
	return c.JSON(http.StatusCreated, v)
}
