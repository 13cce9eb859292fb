package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/service"
)

type editAppealRequest struct {
	Title        string        `json:"title"`
	Purpose      string        `json:"purpose"`
	Goal         string        `json:"goal"`
	Currency     string        `json:"currency"`
	EndsAt       time.Time     `json:"ends_at"`
	PaymentLinks []fieldJSON   `json:"payment_links"`
	Tiers        []tierRequest `json:"tiers"`
}

// editAppeal is PUT /api/v1/appeals/{id}: the author's admins edit an open or
// funded appeal (Economy.EditAppeal: a later deadline only; goal and
// currency while nothing is pledged); federated as Update{Note}.
func (a *API) editAppeal(c echo.Context) error {
	var req editAppealRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ed := service.AppealEdit{Title: req.Title, Purpose: req.Purpose, Goal: req.Goal, Currency: req.Currency, EndsAt: req.EndsAt,
		PaymentLinks: fields(req.PaymentLinks), Tiers: tiers(req.Tiers)}
	if _, err := a.svc.Economy.EditAppeal(c.Request().Context(), caller(c), c.Param("id"), ed); err != nil {
		return err
	}
	return a.respondAppeal(c, http.StatusOK, c.Param("id"))
}
