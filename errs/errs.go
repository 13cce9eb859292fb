// Package errs defines the one error type that crosses layers: it carries an HTTP
// status and a message that is safe to show to a client, while the wrapped cause stays
// in the logs. The service layer returns these; handlers render them without deciding
// anything themselves.
package errs

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is a client-safe error with a status.
type Error struct {
	Status  int
	Message string
	Err     error // internal cause, never shown to clients
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an Error with a formatted message.
func New(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches an internal cause to a client-safe message.
func Wrap(status int, err error, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...), Err: err}
}

func BadRequest(format string, args ...any) *Error {
	return New(http.StatusBadRequest, format, args...)
}
func Unauthorized(format string, args ...any) *Error {
	return New(http.StatusUnauthorized, format, args...)
}
func Forbidden(format string, args ...any) *Error { return New(http.StatusForbidden, format, args...) }
func NotFound(format string, args ...any) *Error  { return New(http.StatusNotFound, format, args...) }
func Conflict(format string, args ...any) *Error  { return New(http.StatusConflict, format, args...) }
func Unprocessable(format string, args ...any) *Error {
	return New(http.StatusUnprocessableEntity, format, args...)
}
func TooMany(format string, args ...any) *Error {
	return New(http.StatusTooManyRequests, format, args...)
}

// Internal hides the cause behind a generic message.
func Internal(err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Message: "internal error", Err: err}
}

// Status returns the HTTP status for any error (500 when it is not an *Error).
func Status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return http.StatusInternalServerError
}

// Message returns what a client may see.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
