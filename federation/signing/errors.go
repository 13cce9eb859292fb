package signing

import (
	"errors"
	"fmt"
)

// Verification errors. Their texts are safe to send to the client (for
// example in a 401 body); Verify wraps them with details meant for logs
// only, so use errors.Is to classify and ClientMessage to answer.
var (
	ErrNoSignature          = errors.New("request is not signed")
	ErrMalformedSignature   = errors.New("malformed signature header")
	ErrUnsupportedAlgorithm = errors.New("unsupported signature algorithm")
	ErrDigestMismatch       = errors.New("body digest does not match")
	ErrDateSkew             = errors.New("signature date outside the accepted window")
	ErrBadSignature         = errors.New("signature does not verify")
	ErrKeyFetch             = errors.New("could not fetch the signer's key")
)

// ErrAlreadySigned is returned by SignRequest and SignRequestRFC9421 for a
// request that already carries a signature or a digest: sign a fresh
// request for each delivery attempt.
var ErrAlreadySigned = errors.New("signing: request is already signed")

// MissingHeaderError says the signature does not cover, or the request
// lacks, a header or component that we require (for example "digest" on a
// POST, "date" or "(created)", "(request-target)", "host" on a GET,
// "content-digest" or "@method" for RFC 9421). Its text is client-safe.
type MissingHeaderError struct{ Name string }

func (e *MissingHeaderError) Error() string {
	return fmt.Sprintf("signature must cover %q", e.Name)
}

// ClientMessage returns a reason for err that is safe to send to the peer:
// the text of the sentinel or *MissingHeaderError it wraps, never the
// details (key-fetch errors can name internal addresses).
func ClientMessage(err error) string {
	var mh *MissingHeaderError
	if errors.As(err, &mh) {
		return mh.Error()
	}
	for _, e := range []error{ErrNoSignature, ErrMalformedSignature, ErrUnsupportedAlgorithm,
		ErrDigestMismatch, ErrDateSkew, ErrBadSignature, ErrKeyFetch} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "invalid signature"
}

// fail wraps a sentinel with a log-only detail.
func fail(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", kind, fmt.Sprintf(format, args...))
}

func missing(name string) error { return &MissingHeaderError{Name: name} }
