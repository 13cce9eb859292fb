package api

import (
	"net/http"
	"strconv"

	"github.com/commonsd/commonsd/version"
	"github.com/labstack/echo/v4"
)

type instanceStatsJSON struct {
	Users          int64 `json:"users"`
	ActiveMonth    int64 `json:"active_month"`
	ActiveHalfyear int64 `json:"active_halfyear"`
	Communities    int64 `json:"communities"`
	LocalPosts     int64 `json:"local_posts"`
}

type instanceJSON struct {
	Domain           string            `json:"domain"`
	URL              string            `json:"url"`
	Name             string            `json:"name"`
	Description      string            `json:"description"`
	Version          string            `json:"version"`
	RegistrationMode string            `json:"registration_mode"`
	Stats            instanceStatsJSON `json:"stats"`
	Contact          struct {
		Email string `json:"email"`
	} `json:"contact"`
	Rules []ruleJSON `json:"rules"`
	Terms string     `json:"terms"`
}

type ruleJSON struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// instance is GET /api/v1/instance: what the instance says about itself.
func (a *API) instance(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := a.svc.Instance.Stats(ctx)
	if err != nil {
		return err
	}
	cfg := a.svc.Cfg
	info := a.svc.Instance.Info(ctx)
	out := instanceJSON{Domain: cfg.PublicHost(), URL: cfg.Server.PublicURL, Name: info.Name,
		Description: info.Description, Version: version.Version, Terms: info.Terms, Rules: rulesView(info.Rules),
		RegistrationMode: a.svc.Instance.RegistrationMode(ctx),
		Stats: instanceStatsJSON{Users: st.Users, ActiveMonth: st.ActiveMonth, ActiveHalfyear: st.ActiveHalfyear,
			Communities: st.Communities, LocalPosts: st.LocalPosts}}
	out.Contact.Email = info.Contact
	return c.JSON(http.StatusOK, out)
}

// rulesView numbers the rules as Mastodon's instance API does ({id, text}).
func rulesView(rules []string) []ruleJSON {
	out := make([]ruleJSON, len(rules))
	for i, r := range rules {
		out[i] = ruleJSON{ID: strconv.Itoa(i + 1), Text: r}
	}
	return out
}
