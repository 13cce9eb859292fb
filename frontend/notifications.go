package frontend

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// registerNotifications mounts the notifications page, its forms, the e-mail
// settings and the unsubscribe page (issue 10 §2).
func (w *Web) registerNotifications(e router) {
	e.GET("/notifications", w.notificationsPage)
	e.POST("/notifications/read_all", w.notificationsReadAll)
	e.POST("/notifications/:id/read", w.notificationRead)
	e.GET("/settings/notifications", w.notificationSettingsPage)
	e.POST("/settings/notifications", w.notificationSettingsSave)
	e.GET("/notifications/unsubscribe", w.unsubscribePage)
	e.POST("/notifications/unsubscribe", w.unsubscribeSubmit)
}

// unreadCount is the number in the navigation ("" for nobody logged in).
func (w *Web) unreadCount(c echo.Context, u *models.User) int64 {
	if u == nil {
		return 0
	}
	ctx := c.Request().Context()
	act, err := w.svc.Accounts.ActorOf(ctx, u)
	if err != nil {
		return 0
	}
	n, err := w.svc.Notifications.UnreadCount(ctx, act)
	if err != nil {
		w.log.Warn("unread notifications not counted", "err", err)
		return 0
	}
	return n
}

// kindLabels name the kinds of notification on the settings page.
var kindLabels = map[string]string{
	models.NotifyMention:                    "Mentions",
	models.NotifyReply:                      "Replies to your notes",
	models.NotifyFollow:                     "New followers",
	models.NotifyFollowRequest:              "Follow requests",
	models.NotifyMembershipRequest:          "Requests to join a community you steward or maintain",
	models.NotifyMembershipDecision:         "Answers to your requests to join",
	models.NotifyCommunityInvitation:        "Invitations to communities",
	models.NotifyContributionAwaitingReview: "Contributions awaiting your review",
	models.NotifyReviewComment:              "Review comments",
	models.NotifyChangesRequested:           "Changes requested on your contributions",
	models.NotifyContributionAccepted:       "Your contributions accepted",
	models.NotifyContributionRejected:       "Your contributions rejected",
	models.NotifyRoleChange:                 "Changes of your role in a community",
	models.NotifyReport:                     "Reports (moderators)",
	"announcement_held":                     "Announcements held for a community you maintain",
	"digest":                                "All e-mail (the daily digest)",
}

func kindLabel(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return strings.ReplaceAll(k, "_", " ")
}

type notificationRow struct {
	ID, Text, URL string
	Unread        bool
	Created       time.Time
	Actor         *actorView
}

type notificationsData struct {
	Rows       []notificationRow
	UnreadOnly bool
	NextMaxID  string
	Paged      bool
	Notice     string
}

const notificationsPageSize = 30

// notificationsPage is /notifications?unread=1&max_id=: the newest first, each
// unread one with a Mark read button, and Mark all read.
func (w *Web) notificationsPage(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	d := notificationsData{UnreadOnly: c.QueryParam("unread") == "1", Paged: c.QueryParam("max_id") != ""}
	d.Notice = map[string]string{"read": "Marked as read.", "all": "All notifications marked as read."}[c.QueryParam("done")]
	list, err := w.svc.Notifications.List(c.Request().Context(), act, service.NotificationFilter{
		Unread: d.UnreadOnly, MaxID: c.QueryParam("max_id"), Limit: notificationsPageSize + 1})
	if err != nil {
		return err
	}
	if len(list) > notificationsPageSize {
		list = list[:notificationsPageSize]
		d.NextMaxID = list[len(list)-1].ID
	}
	for _, v := range list {
		d.Rows = append(d.Rows, notificationRow{ID: v.ID, Text: v.Text, URL: v.URL, Unread: v.ReadAt == nil,
			Created: v.CreatedAt, Actor: w.actorView(v.Actor)})
	}
	p := w.page(c, "Notifications")
	p.Data = d
	return w.render(c, http.StatusOK, "notifications", p)
}

// back is where a form on the notifications page returns (the same filter).
func back(c echo.Context, done string) string {
	q := url.Values{"done": {done}}
	if c.FormValue("unread") == "1" {
		q.Set("unread", "1")
	}
	return "/notifications?" + q.Encode()
}

func (w *Web) notificationRead(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	if err := w.svc.Notifications.MarkRead(c.Request().Context(), act, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, back(c, "read"))
}

func (w *Web) notificationsReadAll(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	if _, err := w.svc.Notifications.MarkAllRead(c.Request().Context(), act); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, back(c, "all"))
}

type kindChoice struct {
	Kind, Label string
	On          bool
}

type notificationSettingsData struct {
	Kinds        []kindChoice
	Digest       bool
	EmailEnabled bool
	Notice       string
	Error        string
}

func (w *Web) renderNotificationSettings(c echo.Context, status int, s service.NotificationPrefs, notice, problem string) error {
	d := notificationSettingsData{Digest: s.Digest, EmailEnabled: s.EmailEnabled, Notice: notice, Error: problem}
	for _, k := range service.NotificationKinds() {
		d.Kinds = append(d.Kinds, kindChoice{Kind: k, Label: kindLabel(k), On: slices.Contains(s.EmailKinds, k)})
	}
	p := w.page(c, "Notification settings")
	p.Data = d
	return w.render(c, status, "notification_settings", p)
}

// notificationSettingsPage is /settings/notifications: which kinds are
// e-mailed, one by one or as a daily digest.
func (w *Web) notificationSettingsPage(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	s, err := w.svc.Notifications.Settings(c.Request().Context(), act)
	if err != nil {
		return err
	}
	notice := ""
	if c.QueryParam("done") == "saved" {
		notice = "Your notification settings were saved."
	}
	return w.renderNotificationSettings(c, http.StatusOK, s, notice, "")
}

func (w *Web) notificationSettingsSave(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	form, _ := c.FormParams()
	in := service.NotificationPrefs{EmailKinds: form["email"], Digest: c.FormValue("digest") == "1"}
	if _, err := w.svc.Notifications.SetSettings(c.Request().Context(), act, in); err != nil {
		if errs.Status(err) >= 500 {
			return err
		}
		in.EmailEnabled = w.svc.Notifications.EmailEnabled()
		return w.renderNotificationSettings(c, errs.Status(err), in, "", errs.Message(err))
	}
	return c.Redirect(http.StatusSeeOther, "/settings/notifications?done=saved")
}

type unsubscribeData struct {
	Token, Label string
	Done         bool
}

// unsubscribePage is where a mail's unsubscribe link leads a browser: one
// button, no login (the signed token is the permission).
func (w *Web) unsubscribePage(c echo.Context) error {
	token := c.QueryParam("token")
	_, kind, err := w.svc.Notifications.CheckUnsubscribe(token)
	if err != nil {
		return err
	}
	p := w.page(c, "Unsubscribe")
	p.Data = unsubscribeData{Token: token, Label: kindLabel(kind)}
	return w.render(c, http.StatusOK, "unsubscribe", p)
}

func (w *Web) unsubscribeSubmit(c echo.Context) error {
	kind, err := w.svc.Notifications.Unsubscribe(c.Request().Context(), c.FormValue("token"))
	if err != nil {
		return err
	}
	p := w.page(c, "Unsubscribed")
	p.Data = unsubscribeData{Label: kindLabel(kind), Done: true}
	return w.render(c, http.StatusOK, "unsubscribe", p)
}
