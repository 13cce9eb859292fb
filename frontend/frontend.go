// Package frontend serves the server-rendered web UI (templates and static files
// embedded with go:embed, so no Node build step is needed to run or test it).
//
// Handlers are thin: they parse a form, call the service layer and render. Every
// rule (who may sign up, what a valid profile is, who may moderate) lives in the
// service; errors come back as *errs.Error and are shown on the form with their
// status. Pages work without JavaScript.
package frontend

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Web holds the HTML handlers.
type Web struct {
	cfg   config.Config
	svc   *service.Service
	log   *slog.Logger
	host  string // domain part of handles
	pages map[string]*lazyPage
}

// lazyPage is one page's template set (the layout, the partials and the page),
// parsed the first time the page is rendered.
//
// Why lazily: each page needs its own clone of the layout and partials (pages
// define the same block names), so parsing all ~60 at start held ~8 MB of parse
// trees, about half of an idle instance's heap, while an instance serves few
// of its pages most of the time (issue 13, idle RSS ≤ 40 MB). A broken template
// still cannot reach production: the templates are embedded, and
// TestTemplatesParse parses every page, as start-up did.
type lazyPage struct {
	file string // path in templateFS
	once sync.Once
	t    *template.Template
	err  error
}

// baseTemplates is the layout with the partials, parsed once on the first
// render and cloned for each page. It is never executed itself, so it can be
// cloned at any time.
var baseTemplates = sync.OnceValues(func() (*template.Template, error) {
	return template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
})

// template returns the page's parsed set, parsing it on first use.
func (p *lazyPage) template() (*template.Template, error) {
	p.once.Do(func() {
		base, err := baseTemplates()
		if err != nil {
			p.err = err
			return
		}
		if p.t, err = base.Clone(); err != nil {
			p.err = err
			return
		}
		p.t, p.err = p.t.ParseFS(templateFS, p.file)
	})
	return p.t, p.err
}

// New builds the web UI. Each page's templates are parsed on its first render
// (lazyPage says why); the set of pages is known here.
func New(cfg config.Config, svc *service.Service, log *slog.Logger) *Web {
	w := &Web{cfg: cfg, svc: svc, log: log, pages: map[string]*lazyPage{}}
	if u, err := url.Parse(cfg.Server.PublicURL); err == nil {
		w.host = u.Host
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		w.pages[name] = &lazyPage{file: n}
	}
	return w
}

// Register mounts the pages. Every route goes through router, which puts the
// CSRF middleware on it (csrf.go).
func (w *Web) Register(ec *echo.Echo) {
	e := router{Echo: ec, csrf: w.csrfMiddleware}
	static, _ := fs.Sub(staticFS, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", staticHandler(static))))

	e.GET("/", w.home)
	e.GET("/about", w.about)
	e.GET("/search", w.searchPage)
	e.GET("/about/rules", w.rulesPage)
	e.GET("/signup", w.signupForm)
	e.POST("/signup", w.signup)
	e.GET("/login", w.loginForm)
	e.POST("/login", w.login)
	e.POST("/logout", w.logout)
	e.GET("/@:name", w.profile)
	e.GET("/settings", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/settings/profile") })
	e.GET("/settings/profile", w.settingsForm)
	e.POST("/settings/profile", w.settingsProfile)
	e.POST("/settings/avatar", w.settingsAvatar, w.imageUploadRoute("avatar"))
	e.POST("/settings/banner", w.settingsBanner, w.imageUploadRoute("banner"))
	e.GET("/settings/account", w.accountSettings)
	e.POST("/settings/password", w.accountPassword)
	e.POST("/settings/email", w.accountEmail)
	e.GET("/settings/export.json", w.exportJSON)
	e.GET("/settings/following.csv", w.exportFollows)
	e.GET("/settings/delete", w.deleteForm)
	e.POST("/settings/delete", w.deleteAccount)
	e.GET("/password/forgot", w.forgotForm)
	e.POST("/password/forgot", w.forgot)
	e.GET("/password/reset/:token", w.resetForm)
	e.POST("/password/reset/:token", w.reset)
	e.GET("/settings/tokens", w.tokens)
	e.POST("/settings/tokens", w.createToken)
	e.POST("/settings/tokens/:id/revoke", w.revokeToken)
	e.GET("/admin", w.admin)
	e.POST("/admin/users/:name", w.adminUser)
	e.POST("/admin/registration", w.adminRegistration)
	e.POST("/admin/invites", w.adminInvite)
	e.POST("/admin/invites/:code/revoke", w.adminRevokeInvite)
	e.GET("/admin/instance", w.adminInstance)
	e.POST("/admin/instance", w.adminInstanceSave)
	e.GET("/media/:id", w.media)
	w.registerCommunities(e)
	w.registerProposals(e)
	w.registerCommunityEditing(e)
	w.registerRevisions(e)
	w.registerEconomy(e)
	w.registerPartners(e)
	w.registerAnnouncements(e)
	w.registerSocial(e)
	w.registerNotifications(e)

	// The actor URL belongs to federation, which negotiates and calls Negotiated for
	// browsers. Until it mounts that route itself, serve the HTML page there.
	taken := false
	for _, r := range e.Routes() {
		if r.Method == http.MethodGet && r.Path == "/users/:name" {
			taken = true
		}
	}
	if !taken {
		e.GET("/users/:name", w.Negotiated)
	}
}

// Negotiated renders an actor's profile page for browsers (the actor URL
// /users/:name, or the instance actor's URL, which shows the about page).
func (w *Web) Negotiated(c echo.Context) error {
	name := c.Param("name")
	if name == "" || name == service.InstanceActorName {
		return w.about(c)
	}
	return w.renderProfile(c, name)
}

// ErrorPage renders an error for browsers.
func (w *Web) ErrorPage(c echo.Context, status int, msg string) error {
	if msg == "" {
		msg = http.StatusText(status)
	}
	p := w.page(c, http.StatusText(status))
	p.Data = struct {
		Status  int
		Message string
	}{status, msg}
	return w.render(c, status, "error", p)
}

// page is what every template gets; Data is the page's own content.
type page struct {
	Title    string
	Instance string
	User     *models.User
	CSRF     string // hidden form token: the session's, or the double-submit cookie's
	Path     string
	Unread   int64 // the logged-in user's unread notifications (navigation)
	Data     any
}

func (w *Web) page(c echo.Context, title string) *page {
	u, _ := w.current(c)
	return &page{Title: title, Instance: w.svc.Instance.Info(c.Request().Context()).Name, User: u, CSRF: w.csrfToken(c), Path: c.Request().URL.Path,
		Unread: w.unreadCount(c, u)}
}

// render executes a page into a buffer first, so a template error becomes a clean
// 500 instead of half a page.
func (w *Web) render(c echo.Context, status int, name string, p *page) error {
	lp, ok := w.pages[name]
	if !ok {
		return errs.Internal(errUnknownTemplate(name))
	}
	t, err := lp.template()
	if err != nil {
		return errs.Internal(err)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return errs.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self' https: data:; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	return c.HTMLBlob(status, buf.Bytes())
}

type errUnknownTemplate string

func (e errUnknownTemplate) Error() string { return "unknown template " + string(e) }

// form carries what the user typed back to the page, with errors by field; Error is
// the form-level message (also used when a message fits no field). First is the
// first invalid field: the page puts autofocus on it, so the browser opens the
// page there (no script needed).
type form struct {
	Values map[string]string
	Errors map[string]string
	Error  string
	First  string
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

func (f *form) Get(k string) string { return f.Values[k] }

// invalid records a field's message (the first one stays) and remembers the first
// invalid field.
func (f *form) invalid(field, msg string) {
	if _, ok := f.Errors[field]; ok {
		return
	}
	f.Errors[field] = msg
	if f.First == "" {
		f.First = field
	}
}

// fail places a service error next to its fields: every field of a validation
// error (errs.Fields) at once, named by the service (renamed by fields when the
// form calls it otherwise); any other error next to the field whose words its
// message contains, or at the top of the form.
func (f *form) fail(err error, fields map[string]string) {
	if list := errs.FieldsOf(err); len(list) > 0 {
		for _, fe := range list {
			name := fe.Field
			if alias, ok := fields[name]; ok {
				name = alias
			}
			f.invalid(name, fe.Message)
		}
		return
	}
	msg := errs.Message(err)
	low := strings.ToLower(msg)
	for word, field := range fields {
		if strings.Contains(low, word) {
			f.invalid(field, msg)
			return
		}
	}
	f.Error = msg
}

var funcs = template.FuncMap{
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"safeHTML":   func(s string) template.HTML { return template.HTML(s) }, // only for sanitised HTML
	"humanBytes": humanBytes,
	"initial": func(s string) string {
		for _, r := range s {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
	"inc":  func(i int) int { return i + 1 },
	"dec":  func(i int) int { return i - 1 },
	"list": func(s ...string) []string { return s },
	"clamp100": func(n int64) int64 {
		if n > 100 {
			return 100
		}
		return n
	},
	"kindName":  service.AnnouncementKindName,
	"priceText": service.AnnouncementPriceText,
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"modeLabel":   func(m string) string { return modeLabels[m] },
	"stringList":  func(s ...string) []string { return s },
	"attachments": attachmentViews,
	"isStaff": func(u *models.User) bool {
		return u != nil && (u.Role == models.RoleAdmin || u.Role == models.RoleModerator)
	},
}

func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" { // no directory listings
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(rw, r)
	})
}
