package vocab

import "errors"

// Sentinel errors returned (possibly wrapped) by Parse and Serialize.
// Test with errors.Is.
var (
	// ErrTooLarge: the document is larger than MaxDocumentSize.
	ErrTooLarge = errors.New("vocab: document too large")
	// ErrInvalidJSON: the input is not well-formed JSON.
	ErrInvalidJSON = errors.New("vocab: invalid JSON")
	// ErrNotJSONObject: the JSON value is not an object (array, string, null...).
	ErrNotJSONObject = errors.New("vocab: JSON value is not an object")
	// ErrMissingType: no "type", or an empty one.
	ErrMissingType = errors.New("vocab: missing type")
	// ErrInvalidType: "type" is neither a string nor an array of strings.
	ErrInvalidType = errors.New("vocab: invalid type")
	// ErrMissingContext: no "@context" (ParseStrict only).
	ErrMissingContext = errors.New("vocab: missing @context")
	// ErrInvalidContext: "@context" is not a string, object or array.
	ErrInvalidContext = errors.New("vocab: invalid @context")
	// ErrMissingID: a top-level document without "id".
	ErrMissingID = errors.New("vocab: missing id")
	// ErrInvalidID: "id" is not a string holding an absolute IRI.
	ErrInvalidID = errors.New("vocab: invalid id")
	// ErrMissingActor: an activity without "actor".
	ErrMissingActor = errors.New("vocab: activity without actor")
	// ErrNilObject: Serialize was given nil.
	ErrNilObject = errors.New("vocab: nil object")
)
