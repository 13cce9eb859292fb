package frontend

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// registerSocial mounts the home timeline, follows, remote follow and the
// federation admin pages (issue 3).
func (w *Web) registerSocial(e router) {
	e.GET("/home", w.timeline)
	e.GET("/share", w.share)
	e.POST("/notes/:id/poll", w.votePoll)
	e.GET("/tags/:name", w.tag)
	e.POST("/home", w.postNote)
	e.POST("/notes/:id/delete", w.deleteNote)
	e.GET("/notes/:id/edit", w.noteEditForm)
	e.POST("/notes/:id/edit", w.noteEdit)
	e.GET("/follow", w.followPage)
	e.POST("/follow", w.follow)
	e.POST("/follow/:id/unfollow", w.unfollow)
	e.GET("/follow_requests", w.followRequests)
	e.POST("/follow_requests/:id", w.decideFollow)
	e.GET("/authorize_interaction", w.authorizeInteraction)
	e.POST("/authorize_interaction", w.authorizeFollow)
	e.GET("/admin/deliveries", w.adminDeliveries)
	e.GET("/admin/domains", w.adminDomains)
	e.POST("/admin/domains", w.adminDomainAdd)
	e.POST("/admin/domains/remove", w.adminDomainRemove)
	e.GET("/admin/reports", w.adminReports)
	e.GET("/admin/reports/:id", w.adminReport)
	e.POST("/admin/reports/:id/resolve", w.adminResolveReport)
	e.GET("/report", w.reportForm)
	e.POST("/report", w.report)
}

// me returns the logged-in user and their actor, or redirects to the log-in page
// (u is nil then and err is the redirect's result).
func (w *Web) me(c echo.Context) (*models.User, *models.Actor, error) {
	u, err := w.requireUser(c)
	if u == nil {
		return nil, nil, err
	}
	act, err := w.svc.Accounts.ActorOf(c.Request().Context(), u)
	if err != nil {
		return nil, nil, err
	}
	return u, act, nil
}

// meForm is me for a form POST (its CSRF token checked by the middleware): the
// caller and its actor. A nil user means the response is decided (redirect to log in, or err).
func (w *Web) meForm(c echo.Context) (*models.User, *models.Actor, error) {
	u, act, err := w.me(c)
	if u == nil {
		return nil, nil, err
	}
	return u, act, nil
}

// actorView is an actor as the social pages show it.
type actorView struct {
	ID, Name, Username, Handle, Href, IconURL string
	Summary                                   template.HTML // sanitised by the service
	Local                                     bool
	Domain                                    string // the actor's server (host[:port]); this one's for a local actor
}

func (w *Web) actorView(a *models.Actor) *actorView {
	if a == nil {
		return nil
	}
	v := &actorView{ID: a.ID, Name: a.Name, Username: a.Username, IconURL: a.IconURL, Local: a.Local(),
		Summary: template.HTML(a.Summary), Domain: a.Domain}
	if v.Name == "" {
		v.Name = a.Username
	}
	if a.Local() {
		v.Handle, v.Href, v.Domain = "@"+a.Username+"@"+w.host, "/@"+a.Username, w.host
	} else {
		v.Handle, v.Href = "@"+a.Username+"@"+a.Domain, a.URL
		if v.Href == "" {
			v.Href = a.URI
		}
	}
	return v
}

// noteView is one timeline entry.
type noteView struct {
	NoteID     string
	URL        string
	Author     *actorView
	BoostedBy  *actorView
	Content    template.HTML // sanitised by the service
	Summary    template.HTML // content warning, escaped or sanitised by the service
	Sensitive  bool
	Visibility string
	Published  time.Time
	EditedAt   *time.Time
	Own        bool
	// Poll is the note's poll when it is a remote Question (nil otherwise).
	Poll *service.PollView
	// Attachments are a remote note's media (see the "attachments" template).
	Attachments []models.NoteAttachment
}

const timelinePage = 20

type timelineData struct {
	Form       *form
	Visibility []string
	Notes      []noteView
	NextMaxID  string
	Paged      bool // showing an older page
	Notice     string
	// Unvoted are the open proposals the member may vote on and has not.
	Unvoted []unvotedView
}

type unvotedView struct {
	Title, Link, Community string
	ClosesAt               time.Time
}

var visibilities = []string{models.VisibilityPublic, models.VisibilityUnlisted, models.VisibilityFollowers, models.VisibilityDirect}

// timeline is /home: the compose form and the home timeline, paged by ?max_id=.
func (w *Web) timeline(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	f := newForm()
	f.Values["visibility"] = models.VisibilityPublic
	notice := map[string]string{"posted": "Your note was posted.", "deleted": "Your note was deleted.", "voted": "Your vote was sent."}[c.QueryParam("done")]
	return w.renderTimeline(c, http.StatusOK, act, f, notice)
}

// share is Mastodon's /share?text=…: the home page with its compose form filled
// in with text (direct visibility when text starts with a mention, as a
// confirmation message to a community does). Other servers' "Join from another
// server" and "Write it on your server" links send their users here, so a
// commonsd account can send the message they ask for; nothing is posted until
// the user presses Post. Logged out, the login page comes first and brings the
// user back here with the text.
func (w *Web) share(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	f := newForm()
	text := c.QueryParam("text")
	if r := []rune(text); len(r) > 5000 { // the compose form's limit, cut on a character
		text = string(r[:5000])
	}
	f.Values["content"] = text
	f.Values["visibility"] = models.VisibilityPublic
	if strings.HasPrefix(strings.TrimSpace(text), "@") {
		f.Values["visibility"] = models.VisibilityDirect
	}
	return w.renderTimeline(c, http.StatusOK, act, f, "")
}

func (w *Web) renderTimeline(c echo.Context, status int, act *models.Actor, f *form, notice string) error {
	maxID := c.QueryParam("max_id")
	entries, err := w.svc.Social.Timeline(c.Request().Context(), act, maxID, timelinePage+1)
	if err != nil {
		return err
	}
	d := timelineData{Form: f, Visibility: visibilities, Paged: maxID != "", Notice: notice}
	if len(entries) > timelinePage {
		entries = entries[:timelinePage]
		d.NextMaxID = entries[len(entries)-1].ID
	}
	for _, e := range entries {
		if e.Author == nil { // the author's row is gone: nothing to attribute it to
			continue
		}
		n := e.Note
		url := n.URL
		if url == "" {
			url = n.URI
		}
		d.Notes = append(d.Notes, noteView{NoteID: n.ID, URL: url, Author: w.actorView(e.Author), BoostedBy: w.actorView(e.BoostedBy),
			Content: template.HTML(n.Content), Summary: template.HTML(n.Summary), Sensitive: n.Sensitive,
			Attachments: n.Attachments, Visibility: n.Visibility, Published: n.Published, EditedAt: n.EditedAt, Own: n.AuthorID == act.ID && n.Local})
	}
	if err := w.attachPolls(c, act, d.Notes); err != nil {
		return err
	}
	if !d.Paged {
		list, err := w.svc.Governance.Unvoted(c.Request().Context(), act, 10)
		if err != nil {
			return err
		}
		for _, pr := range list {
			g, err := w.svc.Actors.ByID(c.Request().Context(), pr.CommunityID)
			if err != nil {
				continue
			}
			d.Unvoted = append(d.Unvoted, unvotedView{Title: pr.Title, Link: communityPath(g) + "/proposals/" + pr.ID,
				Community: displayName(g), ClosesAt: pr.ClosesAt})
		}
	}
	p := w.page(c, "Home")
	p.Data = d
	return w.render(c, status, "timeline", p)
}

// postNote publishes the compose form's note.
func (w *Web) postNote(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	f := newForm()
	for _, k := range []string{"content", "summary", "visibility"} {
		f.Values[k] = c.FormValue(k)
	}
	in := service.NoteInput{Content: f.Get("content"), Summary: f.Get("summary"), Visibility: f.Get("visibility"),
		Sensitive: c.FormValue("sensitive") != ""}
	if _, err := w.svc.Social.PostNote(c.Request().Context(), act, in); err != nil {
		if errs.Status(err) >= 500 {
			return err
		}
		f.fail(err, map[string]string{"content": "content", "visibility": "visibility", "direct": "content"})
		return w.renderTimeline(c, statusOf(err), act, f, "")
	}
	return c.Redirect(http.StatusSeeOther, "/home?done=posted")
}

// deleteNote deletes one of the user's own notes.
func (w *Web) deleteNote(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	if err := w.svc.Social.DeleteNote(c.Request().Context(), act, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/home?done=deleted")
}

// cleanURI turns what a remote server put in {uri} into a handle or URL the
// service resolves: "acct:name@host" loses its scheme.
func cleanURI(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToLower(s), "acct:") {
		s = s[len("acct:"):]
	}
	return s
}

func queryWith(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

var visLabels = map[string]string{
	models.VisibilityPublic:    "Public",
	models.VisibilityUnlisted:  "Unlisted: public, but not in public timelines",
	models.VisibilityFollowers: "Followers only",
	models.VisibilityDirect:    "Direct: only the people mentioned",
}

func init() {
	funcs["visLabel"] = func(v string) string {
		if l, ok := visLabels[v]; ok {
			return l
		}
		return v
	}
}

// votePoll votes on a remote poll shown in the timeline (the vote goes to the
// poll's author as Mastodon sends it).
func (w *Web) votePoll(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	if err := c.Request().ParseForm(); err != nil {
		return errs.BadRequest("bad form")
	}
	if _, err := w.svc.Governance.VotePoll(c.Request().Context(), act, c.Param("id"), c.Request().PostForm["option"]); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, pollBack(c.FormValue("back")))
}

// pollBack is where a poll vote returns: the page it was cast from (a local
// path, as safeNext keeps it) with done=voted, or the home timeline.
func pollBack(back string) string {
	if back == "" || safeNext(back) != back {
		return "/home?done=voted"
	}
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("done", "voted")
	u.RawQuery = q.Encode()
	return u.String()
}

// attachPolls sets the poll of every note that is a remote Question (one
// service call for the page), as viewer (nil: anonymous) sees it.
func (w *Web) attachPolls(c echo.Context, viewer *models.Actor, notes []noteView) error {
	ids := make([]string, len(notes))
	for i := range notes {
		ids[i] = notes[i].NoteID
	}
	polls, err := w.svc.Governance.Polls(c.Request().Context(), viewer, ids)
	if err != nil {
		return err
	}
	for i := range notes {
		notes[i].Poll = polls[notes[i].NoteID]
	}
	return nil
}
