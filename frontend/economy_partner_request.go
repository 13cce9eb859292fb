package frontend

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
)

// An organization's admins ask a community — here or on another server — to
// recognise it as a partner, from the organization's profile (issue 12;
// Economy.RequestPartnership: a remote community gets Offer{Agreement}). A
// refusal re-renders the profile with the form as typed and the reason next
// to its field.

func (w *Web) registerPartnerRequest(e router) {
	e.POST("/organizations/:handle/partnerships", w.partnerRequest)
}

func (w *Web) partnerRequest(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"community", "pledge", "terms", "amount", "currency", "hours", "percent"} {
		f.Values[k] = c.FormValue(k)
	}
	p, err := w.svc.Economy.RequestPartnership(c.Request().Context(), u, service.PartnershipInput{As: c.Param("handle"),
		Community: f.Get("community"), Pledge: f.Get("pledge"), Terms: f.Get("terms"),
		Structured: service.TermsInput{Amount: f.Get("amount"), Currency: f.Get("currency"), Hours: f.Get("hours"),
			Percent: f.Get("percent")}})
	if err != nil {
		st := errs.Status(err)
		// What the form can mend (the request's words, terms, the community
		// named) comes back with it; anything else (not an admin, no such
		// organization, a failure) is the error page.
		named := st == http.StatusNotFound && strings.Contains(strings.ToLower(errs.Message(err)), "community")
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict && !named {
			return err
		}
		f.fail(err, map[string]string{"community": "community", "pledge": "pledge", "words": "pledge", "terms": "terms",
			"amount": "amount", "currency": "currency", "hours": "hours", "revenue": "percent", "percent": "percent"})
		return w.renderProfileWith(c, c.Param("handle"), st, f)
	}
	return c.Redirect(http.StatusSeeOther, partnersPath(p.Community)+"/"+p.ID)
}
