package frontend

import (
	"net/http"
	"strconv"

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
	return c.Blob(http.StatusOK, m.ContentType, m.Data)
}
