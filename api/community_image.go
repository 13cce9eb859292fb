package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// uploadCommunityImage is POST /api/v1/communities/{handle}/images/{slot} (slot
// icon or banner) with a multipart "file" part; stewards only.
func (a *API) uploadCommunityImage(c echo.Context) error {
	slot := c.Param("slot")
	if slot != service.ImageIcon && slot != service.ImageBanner {
		return errs.NotFound("image slot must be icon or banner")
	}
	group, me, err := a.communityAndMe(c)
	if err != nil {
		return err
	}
	data, ctype, err := a.readImagePart(c)
	if err != nil {
		return err
	}
	if err := a.svc.Communities.SetImage(c.Request().Context(), me, group, slot, ctype, data); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"icon": group.IconURL, "banner": group.ImageURL})
}
