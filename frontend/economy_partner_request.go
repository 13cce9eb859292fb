package frontend

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/service"
)

// An organization's admins ask a community — here or on another server — to
// recognise it as a partner, from the organization's profile (issue 12;
// Economy.RequestPartnership: a remote community gets Offer{Agreement}). A
// refusal is shown on the error page with its reason.

func (w *Web) registerPartnerRequest(e router) {
	e.POST("/organizations/:handle/partnerships", w.partnerRequest)
}

func (w *Web) partnerRequest(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	p, err := w.svc.Economy.RequestPartnership(c.Request().Context(), u, service.PartnershipInput{As: c.Param("handle"),
		Community: c.FormValue("community"), Pledge: c.FormValue("pledge"), Terms: c.FormValue("terms"),
		Structured: service.TermsInput{Amount: c.FormValue("amount"), Currency: c.FormValue("currency"), Hours: c.FormValue("hours"),
			Percent: c.FormValue("percent")}})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, partnersPath(p.Community)+"/"+p.ID)
}
