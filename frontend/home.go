package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// instanceInfo is what the home and about pages say about the instance.
type instanceInfo struct {
	Name, Description, Contact, Mode, ModeLabel, Host string
	Rules                                             []string
	Terms                                             []string // paragraphs
	Stats                                             service.Stats
}

var modeLabels = map[string]string{
	"open":     "Open: anyone may sign up",
	"approval": "By approval: moderators review each sign-up",
	"closed":   "Closed: sign-up by invite link only",
}

func (w *Web) instanceInfo(c echo.Context) (instanceInfo, error) {
	ctx := c.Request().Context()
	st, err := w.svc.Instance.Stats(ctx)
	if err != nil {
		return instanceInfo{}, err
	}
	mode := w.svc.Instance.RegistrationMode(ctx)
	info := w.svc.Instance.Info(ctx)
	var terms []string
	for _, p := range strings.Split(info.Terms, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			terms = append(terms, p)
		}
	}
	return instanceInfo{Name: info.Name, Description: info.Description, Rules: info.Rules, Terms: terms,
		Contact: info.Contact, Mode: mode, ModeLabel: modeLabels[mode], Host: w.host, Stats: st}, nil
}

// home is the instance's front page: what it is, how to join, or the user's links.
func (w *Web) home(c echo.Context) error {
	info, err := w.instanceInfo(c)
	if err != nil {
		return err
	}
	p := w.page(c, info.Name)
	p.Data = info
	return w.render(c, http.StatusOK, "home", p)
}
