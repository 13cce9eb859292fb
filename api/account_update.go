package api

import (
	"net/http"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// updateProfileRequest is a partial update: absent fields keep their value.
type updateProfileRequest struct {
	DisplayName               *string      `json:"display_name"`
	Bio                       *string      `json:"bio"`
	Fields                    *[]fieldJSON `json:"fields"`
	Discoverable              *bool        `json:"discoverable"`
	ManuallyApprovesFollowers *bool        `json:"manually_approves_followers"`
	HideFollowers             *bool        `json:"hide_followers"`
}

// updateProfile is PATCH /api/v1/accounts/me.
func (a *API) updateProfile(c echo.Context) error {
	var req updateProfileRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := caller(c)
	act, err := a.svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		return err
	}
	p := service.Profile{DisplayName: act.Name, Bio: act.SummarySource, Fields: service.Fields(act),
		Discoverable: req.Discoverable, ManuallyApprovesFollowers: req.ManuallyApprovesFollowers,
		HideFollowers: req.HideFollowers}
	if req.DisplayName != nil {
		p.DisplayName = *req.DisplayName
	}
	if req.Bio != nil {
		p.Bio = *req.Bio
	}
	if req.Fields != nil {
		p.Fields = make([]models.Field, 0, len(*req.Fields))
		for _, f := range *req.Fields {
			p.Fields = append(p.Fields, models.Field{Name: f.Name, Value: f.Value})
		}
	}
	if err := a.svc.Actors.UpdateProfile(ctx, act, p); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ownerView(u, act))
}
