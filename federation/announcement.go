package federation

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/labstack/echo/v4"
)

// announcement serves a local coalition announcement's Note (issue 12), as
// it was sent in its Create.
func (f *Federation) announcement(c echo.Context) error {
	v, err := f.svc.Economy.Announcement(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if !v.Local {
		return errs.NotFound("announcement not found")
	}
	return writeAP(c, http.StatusOK, convert.Announcement(f.svc.Economy.AnnouncementObject(v)))
}
