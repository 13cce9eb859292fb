package federation

import (
	"net/http"

	"github.com/commonsd/commonsd/version"
	"github.com/labstack/echo/v4"
)

const nodeinfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

// nodeinfoIndex is /.well-known/nodeinfo: where the NodeInfo 2.1 document lives.
func (f *Federation) nodeinfoIndex(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{
		"links": []map[string]string{{"rel": nodeinfoSchema, "href": f.cfg.Server.PublicURL + "/nodeinfo/2.1"}},
	})
}

// nodeinfo is the NodeInfo 2.1 document (software, protocols, usage, metadata).
func (f *Federation) nodeinfo(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := f.svc.Instance.Stats(ctx)
	if err != nil {
		return err
	}
	doc := map[string]any{
		"version": "2.1",
		"software": map[string]string{
			"name": "commonsd", "version": version.Version,
			"repository": "https://github.com/commonsd/commonsd", "homepage": "https://github.com/commonsd/commonsd",
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string][]string{"inbound": {}, "outbound": {"rss2.0", "atom1.0"}},
		"openRegistrations": f.svc.Instance.RegistrationMode(ctx) != "closed",
		"usage": map[string]any{
			"users":      map[string]int64{"total": st.Users, "activeMonth": st.ActiveMonth, "activeHalfyear": st.ActiveHalfyear},
			"localPosts": st.LocalPosts,
		},
		"metadata": map[string]any{
			"nodeName":         f.cfg.Instance.Name,
			"nodeDescription":  f.cfg.Instance.Description,
			"registrationMode": f.svc.Instance.RegistrationMode(ctx),
			"communities":      st.Communities,
			"contactEmail":     f.cfg.Instance.ContactEmail,
		},
	}
	c.Response().Header().Set(echo.HeaderContentType, `application/json; profile="`+nodeinfoSchema+`#"`)
	return c.JSONBlob(http.StatusOK, mustJSON(doc))
}
