package federation

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"

	"github.com/labstack/echo/v4"
)

// hostMeta points at WebFinger (RFC 6415); some older servers look here first.
// Both forms depend on the configuration only: rendered once (see discoveryDocs).
func (f *Federation) hostMeta(c echo.Context) error {
	d := f.static()
	if c.QueryParam("format") == "json" || c.Request().Header.Get("Accept") == "application/json" {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, d.hostMetaJSON)
	}
	return c.Blob(http.StatusOK, "application/xrd+xml; charset=utf-8", d.hostMetaXML)
}

// renderHostMeta renders host-meta as XRD and as JSON for the instance at publicURL.
func renderHostMeta(publicURL string) (xrd, jrd []byte) {
	tmpl := publicURL + "/.well-known/webfinger?resource={uri}"
	jrd = mustJSON(map[string]any{"links": []map[string]string{{"rel": "lrdd", "template": tmpl}}})
	xrd = []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s"/>
</XRD>
`, html.EscapeString(tmpl)))
	return xrd, jrd
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
