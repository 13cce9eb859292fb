package federation

import (
	"context"
	"net/http"
	"time"

	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/version"
	"github.com/labstack/echo/v4"
)

const nodeinfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

// nodeinfoRefresh is how often NodeInfo's usage counts are recounted (in the
// background, see refreshedDoc). Rendering it took seven queries (counts over
// whole tables among them): p99 ~0.8 s under load when every request paid them.
// Crawlers read it daily; counts a minute old are exact enough.
const nodeinfoRefresh = time.Minute

// nodeinfoUsage is what NodeInfo says that changes while the instance runs.
type nodeinfoUsage struct {
	Stats            service.Stats
	RegistrationMode string
}

// nodeinfoIndex is /.well-known/nodeinfo: where the NodeInfo 2.1 document lives.
func (f *Federation) nodeinfoIndex(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, f.static().nodeinfoIndex)
}

func renderNodeinfoIndex(publicURL string) []byte {
	return mustJSON(map[string]any{
		"links": []map[string]string{{"rel": nodeinfoSchema, "href": publicURL + "/nodeinfo/2.1"}},
	})
}

// nodeinfo is the NodeInfo 2.1 document (software, protocols, usage, metadata),
// served from memory and re-rendered in the background at most once per
// nodeinfoRefresh. Decision: the registration mode is part of the refreshed
// document, so after an admin changes it NodeInfo may say the old mode for up
// to a minute (the sign-up pages themselves read the setting on every request).
func (f *Federation) nodeinfo(c echo.Context) error {
	d := &f.discovery
	now := time.Now()
	if d.now != nil {
		now = d.now()
	}
	body, err := d.nodeinfo.get(c.Request().Context(), now, nodeinfoRefresh, f.log, f.renderNodeinfo)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, `application/json; profile="`+nodeinfoSchema+`#"`, body)
}

// readUsage asks the service for the counts and the registration mode.
func (f *Federation) readUsage(ctx context.Context) (nodeinfoUsage, error) {
	if f.discovery.usage != nil {
		return f.discovery.usage(ctx)
	}
	st, err := f.svc.Instance.Stats(ctx)
	if err != nil {
		return nodeinfoUsage{}, err
	}
	return nodeinfoUsage{Stats: st, RegistrationMode: f.svc.Instance.RegistrationMode(ctx)}, nil
}

func (f *Federation) renderNodeinfo(ctx context.Context) ([]byte, error) {
	u, err := f.readUsage(ctx)
	if err != nil {
		return nil, err
	}
	st := u.Stats
	info := f.instanceInfo(ctx)
	doc := map[string]any{
		"version": "2.1",
		"software": map[string]string{
			"name": "commonsd", "version": version.Version,
			"repository": "https://github.com/commonsd/commonsd", "homepage": "https://github.com/commonsd/commonsd",
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string][]string{"inbound": {}, "outbound": {"rss2.0", "atom1.0"}},
		"openRegistrations": u.RegistrationMode != "closed",
		"usage": map[string]any{
			"users":      map[string]int64{"total": st.Users, "activeMonth": st.ActiveMonth, "activeHalfyear": st.ActiveHalfyear},
			"localPosts": st.LocalPosts,
		},
		"metadata": map[string]any{
			"nodeName":         info.Name,
			"nodeDescription":  info.Description,
			"rules":            info.Rules,
			"registrationMode": u.RegistrationMode,
			"communities":      st.Communities,
			"contactEmail":     info.Contact,
		},
	}
	return mustJSON(doc), nil
}

// instanceInfo is what the admins say about the instance, or the
// configuration's defaults where no service is wired (discovery tests).
func (f *Federation) instanceInfo(ctx context.Context) service.InstanceInfo {
	if f.svc == nil || f.svc.Instance == nil {
		return service.InstanceInfo{Name: f.cfg.Instance.Name, Description: f.cfg.Instance.Description,
			Contact: f.cfg.Instance.ContactEmail, Rules: []string{}}
	}
	return f.svc.Instance.Info(ctx)
}
