package federation

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/labstack/echo/v4"
)

// authorizedFetch enforces federation.authorized_fetch on ActivityPub GETs: the
// request must carry a valid signature from a domain that is not blocked (Mastodon's
// "secure mode"). Without the setting it changes nothing.
func (f *Federation) authorizedFetch(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !f.cfg.Federation.AuthorizedFetch {
			return next(c)
		}
		key, err := f.verifier.Verify(c.Request().Context(), c.Request(), nil)
		if err != nil {
			return errs.Wrap(http.StatusUnauthorized, err, "signed fetch required: %s", signing.ClientMessage(err))
		}
		if host := hostOf(key.Owner); !f.policy.Allowed(host) {
			return errs.Forbidden("domain %s is blocked here", host)
		}
		return next(c)
	}
}
