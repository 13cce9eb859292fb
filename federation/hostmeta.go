package federation

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"

	"github.com/labstack/echo/v4"
)

// hostMeta points at WebFinger (RFC 6415); some older servers look here first.
func (f *Federation) hostMeta(c echo.Context) error {
	tmpl := f.cfg.Server.PublicURL + "/.well-known/webfinger?resource={uri}"
	if c.QueryParam("format") == "json" || c.Request().Header.Get("Accept") == "application/json" {
		return c.JSON(http.StatusOK, map[string]any{"links": []map[string]string{{"rel": "lrdd", "template": tmpl}}})
	}
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s"/>
</XRD>
`, html.EscapeString(tmpl))
	return c.Blob(http.StatusOK, "application/xrd+xml; charset=utf-8", []byte(body))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
