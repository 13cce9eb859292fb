package social

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/errs"
)

// RemoteFollowURL is where the account user@host follows objectURI (one of our
// actors) from its own server ("follow from your instance"): that server's
// OStatus subscribe template, found by WebFinger through the Resolver port, with
// objectURI filled in. The domain policy applies: a blocked host is never asked
// (403). Errors: 403 blocked, 502 when host gives no usable template (the
// message names the host), 503 without a federation edge.
func (s *Social) RemoteFollowURL(ctx context.Context, user, host, objectURI string) (string, error) {
	if s.d.Resolver == nil {
		return "", errs.New(http.StatusServiceUnavailable, "federation is not available")
	}
	if !s.domainAllowed(host) {
		return "", errs.Forbidden("%s is blocked on this instance", host)
	}
	tpl, err := s.d.Resolver.SubscribeTemplate(ctx, user, host)
	if err != nil {
		switch errs.Status(err) {
		case http.StatusBadRequest, http.StatusForbidden:
			return "", err
		}
		return "", errs.Wrap(http.StatusBadGateway, err, "could not find where to follow from on %s", host)
	}
	target, err := url.Parse(strings.ReplaceAll(tpl, "{uri}", url.QueryEscape(objectURI)))
	if err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "" {
		return "", errs.New(http.StatusBadGateway, "%s sent an unusable follow address", host)
	}
	return target.String(), nil
}
