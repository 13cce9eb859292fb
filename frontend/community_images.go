package frontend

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// communityImageUploadRoute caps an image upload's body (as for avatars) and, over
// it, shows the community page with the error.
func (w *Web) communityImageUploadRoute() echo.MiddlewareFunc {
	return uploadRoute(w.imageBodyCap, func(c echo.Context) error {
		if u, err := w.requireUser(c); u == nil {
			return err
		}
		return w.communityError(c, w.imageTooBig("image"))
	})
}

// communityImage is POST /c/:name/images/:slot (slot icon or banner): a steward
// uploads the community's avatar or header image.
func (w *Web) communityImage(c echo.Context) error {
	u, err := w.requireUser(c)
	if u == nil {
		return err
	}
	slot := c.Param("slot")
	if slot != service.ImageIcon && slot != service.ImageBanner {
		return errs.NotFound("no such image")
	}
	ctx := c.Request().Context()
	group, _, err := w.svc.Communities.Local(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	me, err := w.svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		return err
	}
	data, ctype, err := w.readImageUpload(c, "image")
	if err != nil {
		return w.communityError(c, err)
	}
	if err := w.svc.Communities.SetImage(ctx, me, group, slot, ctype, data); err != nil {
		return w.communityError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, communityPath(group)+"?done=image")
}
