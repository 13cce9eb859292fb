package federation

import (
	"net/http"
	"regexp"

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
		// A blocked domain is refused before any key is fetched from it.
		if m := keyIDRE.FindStringSubmatch(c.Request().Header.Get("Signature") + " " + c.Request().Header.Get("Signature-Input")); m != nil {
			if host := hostOf(m[1]); host != "" && !f.policy.Allowed(host) {
				return errs.Forbidden("domain %s is blocked here", host)
			}
		}
		key, err := f.verifier.Verify(c.Request().Context(), c.Request(), nil)
		if err != nil {
			return errs.Wrap(http.StatusUnauthorized, err, "signed fetch required: %s", signing.ClientMessage(err))
		}
		if host := hostOf(key.Owner); !f.policy.Allowed(host) {
			return errs.Forbidden("domain %s is blocked here", host)
		}
		c.Set(signerKey, key.Owner) // handlers decide what this signer may read
		return next(c)
	}
}

// keyIDRE finds the key id in a draft-cavage Signature or RFC 9421 Signature-Input.
var keyIDRE = regexp.MustCompile(`(?i)keyid="([^"]+)"`)
