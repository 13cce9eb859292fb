package api

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

const userKey = "api.user"

// authenticate resolves "Authorization: Bearer <token>" to the calling user. A
// missing, malformed, unknown or revoked token is a 401 with a WWW-Authenticate
// challenge (RFC 6750); a suspended or unapproved account is the service's 403.
func (a *API) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		var secret string
		if h != "" {
			scheme, tok, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
				return challenge(c, `Bearer realm="commonsd", error="invalid_request"`,
					errs.Unauthorized("Authorization header must be \"Bearer <token>\""))
			}
			secret = strings.TrimSpace(tok)
		}
		u, err := a.svc.Accounts.TokenUser(c.Request().Context(), secret)
		if err != nil {
			if errs.Status(err) == http.StatusUnauthorized {
				v := `Bearer realm="commonsd"`
				if secret != "" {
					v += `, error="invalid_token"`
				}
				return challenge(c, v, err)
			}
			return err
		}
		c.Set(userKey, u)
		return next(c)
	}
}

func challenge(c echo.Context, value string, err error) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, value)
	return err
}

// requireStaff lets admins and moderators through; the service still decides what
// each of them may do.
func (a *API) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := caller(c)
		if u == nil || (u.Role != models.RoleAdmin && u.Role != models.RoleModerator) {
			return errs.Forbidden("admins and moderators only")
		}
		return next(c)
	}
}

// caller is the authenticated user (nil on public routes).
func caller(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// requireAdmin lets admins only through (writes that change federation policy).
func (a *API) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := caller(c); u == nil || u.Role != models.RoleAdmin {
			return errs.Forbidden("admins only")
		}
		return next(c)
	}
}

// callerActor is the authenticated user's actor.
func (a *API) callerActor(c echo.Context) (*models.Actor, error) {
	return a.svc.Accounts.ActorOf(c.Request().Context(), caller(c))
}
