package frontend

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// An organization's logo (issue 12): its admins upload it from its profile
// page; it is the organization's avatar, so the same limits as avatars apply
// (the body capped by imageBodyCap, media.max_avatar_bytes checked by the
// service) and other servers see it as the actor's icon.

func (w *Web) registerOrganizationLogo(e router) {
	e.POST("/organizations/:handle/logo", w.organizationLogo, uploadRoute(w.imageBodyCap, func(c echo.Context) error {
		if u, err := w.requireUser(c); u == nil {
			return err
		}
		return w.imageTooBig("logo")
	}))
}

func (w *Web) organizationLogo(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	data, ctype, err := w.readImageUpload(c, "logo")
	if err != nil {
		return err
	}
	org, err := w.svc.Economy.SetLogo(c.Request().Context(), u, c.Param("handle"), ctype, data)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/@"+org.Username)
}
