package frontend

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// Cookie names. The session cookie holds a random secret whose SHA-256 is the
// session id in the database (service.Accounts). The CSRF cookie backs the
// double-submit token of the logged-out forms (log-in, sign-up).
const (
	sessionCookie = "commonsd_session"
	csrfCookie    = "commonsd_csrf"
	csrfField     = "csrf"
)

const (
	ctxLoaded  = "frontend.loaded"
	ctxUser    = "frontend.user"
	ctxSession = "frontend.session"
	ctxCSRF    = "frontend.csrf"
)

func (w *Web) secureCookies() bool {
	return strings.HasPrefix(w.cfg.Server.PublicURL, "https://") && !w.cfg.Security.InsecureCookies
}

func (w *Web) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: w.secureCookies(), SameSite: http.SameSiteLaxMode}
}

// current returns the logged-in user and session, loading them once per request.
// A missing, expired or revoked session, or a suspended account, is "logged out".
func (w *Web) current(c echo.Context) (*models.User, *models.Session) {
	if c.Get(ctxLoaded) == nil {
		c.Set(ctxLoaded, true)
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			if u, s, err := w.svc.Accounts.SessionUser(c.Request().Context(), ck.Value); err == nil {
				c.Set(ctxUser, u)
				c.Set(ctxSession, s)
			}
		}
	}
	u, _ := c.Get(ctxUser).(*models.User)
	s, _ := c.Get(ctxSession).(*models.Session)
	return u, s
}

// startSession logs a user in: a new session, its secret in the cookie.
func (w *Web) startSession(c echo.Context, u *models.User) error {
	secret, s, err := w.svc.Accounts.NewSession(c.Request().Context(), u, c.Request().UserAgent())
	if err != nil {
		return err
	}
	c.SetCookie(w.cookie(sessionCookie, secret, int(w.cfg.Security.SessionLifetime.Seconds())))
	c.Set(ctxUser, u)
	c.Set(ctxSession, s)
	c.Set(ctxLoaded, true)
	return nil
}

// csrfToken is the token a form on this page must send back: the session's
// synchronizer token when logged in, else the double-submit cookie's value (set here
// when the browser has none yet).
func (w *Web) csrfToken(c echo.Context) string {
	if _, s := w.current(c); s != nil {
		return s.CSRFToken
	}
	if t, ok := c.Get(ctxCSRF).(string); ok {
		return t
	}
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
		c.Set(ctxCSRF, ck.Value)
		return ck.Value
	}
	t := randomToken()
	c.SetCookie(w.cookie(csrfCookie, t, 0))
	c.Set(ctxCSRF, t)
	return t
}

// checkCSRF verifies the token of a form whose body is parsed; only the
// middleware (csrf.go) calls it, before the handler runs.
func (w *Web) checkCSRF(c echo.Context) error {
	sent := c.Request().PostForm.Get(csrfField)
	var want string
	if _, s := w.current(c); s != nil {
		want = s.CSRFToken
	} else if ck, err := c.Cookie(csrfCookie); err == nil {
		want = ck.Value
	}
	if sent == "" || want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return errs.Forbidden("the form token is missing or out of date; reload the page and try again")
	}
	return nil
}

// requireUser returns the logged-in user, or redirects to the log-in page.
func (w *Web) requireUser(c echo.Context) (*models.User, error) {
	u, _ := w.current(c)
	if u == nil {
		return nil, c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
	return u, nil
}

// safeNext keeps a post-login redirect on this site: a local absolute path only.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
