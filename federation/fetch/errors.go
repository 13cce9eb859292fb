package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"

	"github.com/commonsd/commonsd/errs"
)

// Sentinel errors. Fetch errors wrap them (test with errors.Is); their texts
// are safe to show to a client, the wrapping details are for logs only.
var (
	ErrInvalidURL       = errors.New("invalid URL")
	ErrBlockedDomain    = errors.New("domain is blocked by this instance")
	ErrPrivateAddress   = errors.New("address is not publicly routable")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrTooLarge         = errors.New("response too large")
	ErrContentType      = errors.New("response is not ActivityPub JSON")
	ErrNotFound         = errors.New("not found on the remote server")
	ErrGone             = errors.New("deleted on the remote server")
	ErrOrigin           = errors.New("document id does not match its origin")
	ErrInvalidDocument  = errors.New("invalid ActivityPub document")
	ErrNotActor         = errors.New("document is not an actor")
	ErrInvalidActor     = errors.New("invalid actor document")
	ErrKeyNotFound      = errors.New("actor does not publish this key")
	ErrLocal            = errors.New("URI is local to this instance")
	ErrWebFinger        = errors.New("WebFinger lookup failed")
	// ErrOffline: a fetch was asked for under Offline (never a client's fault).
	ErrOffline = errors.New("fetch deferred: no network in this context")
)

// AddressError is returned (inside *url.Error and *net.OpError) when the
// dialer refuses an address: it wraps ErrPrivateAddress.
type AddressError struct{ Addr netip.Addr }

func (e *AddressError) Error() string {
	return fmt.Sprintf("refusing to connect to %s: %v", e.Addr, ErrPrivateAddress)
}

func (e *AddressError) Unwrap() error { return ErrPrivateAddress }

// StatusError is a response status other than 2xx, 3xx, 404 and 410.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Code)
}

// ClientError turns a fetch error into an *errs.Error with a client-safe
// message, keeping err as the internal cause: 400 for a malformed URL or
// handle, 403 for a blocked domain, 404 for a missing or deleted resource,
// 502 for everything the remote server did wrong. It returns err unchanged
// if it already is an *errs.Error, and nil for nil.
func ClientError(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	switch {
	case errors.Is(err, ErrInvalidURL):
		return errs.Wrap(http.StatusBadRequest, err, "%s", ErrInvalidURL.Error())
	case errors.Is(err, ErrBlockedDomain):
		return errs.Wrap(http.StatusForbidden, err, "%s", ErrBlockedDomain.Error())
	case errors.Is(err, ErrNotFound):
		return errs.Wrap(http.StatusNotFound, err, "%s", ErrNotFound.Error())
	case errors.Is(err, ErrLocal):
		return errs.Wrap(http.StatusNotFound, err, "no such actor or object here")
	case errors.Is(err, ErrGone):
		return errs.Wrap(http.StatusNotFound, err, "%s", ErrGone.Error())
	}
	for _, s := range []error{ErrPrivateAddress, ErrTooManyRedirects, ErrTooLarge, ErrContentType,
		ErrOrigin, ErrInvalidDocument, ErrNotActor, ErrInvalidActor, ErrKeyNotFound, ErrWebFinger} {
		if errors.Is(err, s) {
			return errs.Wrap(http.StatusBadGateway, err, "%s", s.Error())
		}
	}
	var se *StatusError
	if errors.As(err, &se) {
		return errs.Wrap(http.StatusBadGateway, err, "remote server answered HTTP %d", se.Code)
	}
	return errs.Wrap(http.StatusBadGateway, err, "could not reach the remote server")
}
