// Package errs defines the one error type that crosses layers: it carries an HTTP
// status and a message that is safe to show to a client, while the wrapped cause stays
// in the logs. The service layer returns these; handlers render them without deciding
// anything themselves.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrConflict is the sentinel of a state transition that did not apply because
// its row was no longer in a state it applies to: someone else's request changed
// it first. The store returns it (store.ErrConflict is this value); wherever it
// surfaces, it is a 409, never a 500 — a lost race is the client's to retry, not
// a server fault.
var ErrConflict = errors.New("conflict")

// conflictMessage is what a client sees for a lost race no service explained.
const conflictMessage = "this was changed by another request in the meantime; reload and try again"

// Error is a client-safe error with a status.
type Error struct {
	Status  int
	Message string
	Err     error // internal cause, never shown to clients
	// Fields are the invalid fields of a request, each with its own message, in
	// the order of the form (see Fields); Message then joins them all.
	Fields []FieldError
}

// FieldError is one invalid field: its name (the form's and the API's) and a
// message written for people.
type FieldError struct{ Field, Message string }

// Fields collects every problem of one request, so that a form reports them all
// at once instead of the first only. Validate in the order of the form.
type Fields []FieldError

// Add records err (when not nil) against field. A field keeps its first problem.
func (f *Fields) Add(field string, err error) {
	if err == nil {
		return
	}
	for _, e := range *f {
		if e.Field == field {
			return
		}
	}
	*f = append(*f, FieldError{Field: field, Message: Message(err)})
}

// Err is nil when no field is invalid, else a 422 carrying them all, whose
// Message lists every field's message.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msgs := make([]string, len(f))
	for i, e := range f {
		msgs[i] = e.Message
	}
	return &Error{Status: http.StatusUnprocessableEntity, Message: strings.Join(msgs, "; "), Fields: append(Fields(nil), f...)}
}

// FieldsOf returns the invalid fields carried by err (none for other errors).
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
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

// Internal hides the cause behind a generic message; a lost transition race
// (ErrConflict) becomes a 409 instead.
func Internal(err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Status != http.StatusInternalServerError {
		return e // already client-safe (returned from inside a transaction)
	}
	if errors.Is(err, ErrConflict) {
		return &Error{Status: http.StatusConflict, Message: conflictMessage, Err: err}
	}
	return &Error{Status: http.StatusInternalServerError, Message: "internal error", Err: err}
}

// Status returns the HTTP status for any error (409 for ErrConflict, 500 when it
// is neither that nor an *Error).
func Status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	if errors.Is(err, ErrConflict) {
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// Message returns what a client may see.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if errors.Is(err, ErrConflict) {
		return conflictMessage
	}
	return "internal error"
}
