package frontend

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/commonsd/commonsd/service"

	"github.com/labstack/echo/v4"
)

// media serves an uploaded file. Ids are never reused (a new avatar gets a new id),
// so the response may be cached for long; the sandbox CSP and nosniff keep a file
// from ever running as a page.
func (w *Web) media(c echo.Context) error {
	m, err := w.svc.Actors.Media(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.FormatInt(int64(len(m.Data)), 10))
	ctype := m.ContentType
	if !service.IsImage(ctype) {
		// Files attached to contributions (PDF, text, ZIP) are downloads, never
		// shown in the browser's context.
		name := m.Name
		if name == "" {
			name = m.ID
		}
		disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
		if disp == "" {
			disp = "attachment"
		}
		h.Set("Content-Disposition", disp)
		if strings.HasPrefix(ctype, "text/") {
			ctype += "; charset=utf-8"
		}
	}
	return c.Blob(http.StatusOK, ctype, m.Data)
}
