package api

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

func (a *API) registerNotifications(g *echo.Group) {
	auth := a.authenticate
	g.GET("/notifications", a.listNotifications, auth)
	g.GET("/notifications/unread_count", a.unreadNotifications, auth)
	g.POST("/notifications/read_all", a.readAllNotifications, auth)
	g.POST("/notifications/:id/read", a.readNotification, auth)
	g.GET("/notifications/settings", a.notificationSettings, auth)
	g.PUT("/notifications/settings", a.setNotificationSettings, auth)
	g.GET("/notifications/unsubscribe", a.unsubscribePage)
	g.POST("/notifications/unsubscribe", a.unsubscribe)
}

type notificationJSON struct {
	ID           string        `json:"id"`
	Kind         string        `json:"kind"`
	Text         string        `json:"text"`
	URL          string        `json:"url"`
	Actor        *actorRefJSON `json:"actor"`
	Community    *actorRefJSON `json:"community"`
	Contribution string        `json:"contribution_id,omitempty"`
	Note         string        `json:"note_uri,omitempty"`
	Report       string        `json:"report_id,omitempty"`
	Proposal     string        `json:"proposal_id,omitempty"`
	Detail       string        `json:"detail,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	ReadAt       *time.Time    `json:"read_at"`
}

func (a *API) notificationView(v *service.NotificationView) notificationJSON {
	out := notificationJSON{ID: v.ID, Kind: v.Kind, Text: v.Text, URL: v.URL, Contribution: v.ContributionID,
		Report: v.ReportID, Proposal: v.ProposalID, Detail: v.Detail, CreatedAt: v.CreatedAt.UTC(), ReadAt: v.ReadAt}
	if v.Actor != nil {
		r := a.actorRef(v.Actor)
		out.Actor = &r
	}
	if v.Community != nil {
		r := a.actorRef(v.Community)
		out.Community = &r
	}
	if v.Note != nil {
		out.Note = v.Note.URI
	}
	return out
}

// listNotifications is GET /api/v1/notifications?unread&kind&max_id&limit: the
// caller's notifications, newest first; pass the last one's id as max_id for
// the next page. kind may be repeated or comma-separated.
func (a *API) listNotifications(c echo.Context) error {
	limit, err := queryInt(c, "limit", 40, 1, 100)
	if err != nil {
		return err
	}
	f := service.NotificationFilter{Limit: limit, MaxID: c.QueryParam("max_id")}
	switch c.QueryParam("unread") {
	case "", "false":
	case "true":
		f.Unread = true
	default:
		return errs.BadRequest("unread must be true or false")
	}
	for _, k := range c.QueryParams()["kind"] {
		for _, part := range strings.Split(k, ",") {
			if part = strings.TrimSpace(part); part != "" {
				f.Kinds = append(f.Kinds, part)
			}
		}
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Notifications.List(c.Request().Context(), me, f)
	if err != nil {
		return err
	}
	out := make([]notificationJSON, 0, len(list))
	for i := range list {
		out = append(out, a.notificationView(&list[i]))
	}
	return c.JSON(http.StatusOK, out)
}

// unreadNotifications is GET /api/v1/notifications/unread_count.
func (a *API) unreadNotifications(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	n, err := a.svc.Notifications.UnreadCount(c.Request().Context(), me)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"count": n})
}

// readNotification is POST /api/v1/notifications/{id}/read.
func (a *API) readNotification(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	if err := a.svc.Notifications.MarkRead(c.Request().Context(), me, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// readAllNotifications is POST /api/v1/notifications/read_all.
func (a *API) readAllNotifications(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	n, err := a.svc.Notifications.MarkAllRead(c.Request().Context(), me)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"marked": n})
}

type notificationSettingsJSON struct {
	EmailKinds   []string `json:"email_kinds"`
	Digest       bool     `json:"digest"`
	EmailEnabled bool     `json:"email_enabled"`
	Kinds        []string `json:"kinds"`
}

func settingsView(s service.NotificationPrefs) notificationSettingsJSON {
	return notificationSettingsJSON{EmailKinds: s.EmailKinds, Digest: s.Digest, EmailEnabled: s.EmailEnabled,
		Kinds: service.NotificationKinds()}
}

// notificationSettings is GET /api/v1/notifications/settings.
func (a *API) notificationSettings(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	s, err := a.svc.Notifications.Settings(c.Request().Context(), me)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settingsView(s))
}

// setNotificationSettings is PUT /api/v1/notifications/settings.
func (a *API) setNotificationSettings(c echo.Context) error {
	var in struct {
		EmailKinds []string `json:"email_kinds"`
		Digest     bool     `json:"digest"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	s, err := a.svc.Notifications.SetSettings(c.Request().Context(), me, service.NotificationPrefs{EmailKinds: in.EmailKinds, Digest: in.Digest})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settingsView(s))
}

// unsubscribePage is GET /api/v1/notifications/unsubscribe?token: the link of
// a mail opened in a browser goes on to the web page that asks for the click.
func (a *API) unsubscribePage(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/notifications/unsubscribe?token="+url.QueryEscape(c.QueryParam("token")))
}

// unsubscribe is POST /api/v1/notifications/unsubscribe?token: the one-click
// unsubscribe of RFC 8058 (mail clients POST List-Unsubscribe=One-Click to the
// List-Unsubscribe URL); the signed token is the permission, no login.
func (a *API) unsubscribe(c echo.Context) error {
	kind, err := a.svc.Notifications.Unsubscribe(c.Request().Context(), c.QueryParam("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"unsubscribed": kind})
}
