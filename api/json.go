package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 64 << 10

// bindJSON decodes a JSON object body into dst strictly: the Content-Type (when
// given) must be JSON, the body at most maxJSONBody bytes, exactly one object, and
// no unknown fields. Every failure says precisely what is wrong.
func bindJSON(c echo.Context, dst any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return errs.New(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		}
	}
	if req.ContentLength > maxJSONBody {
		return tooLarge(maxJSONBody)
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), req.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(maxJSONBody)
		}
		return errs.BadRequest("request body must contain a single JSON object")
	}
	return nil
}

func tooLarge(n int64) error {
	return errs.New(http.StatusRequestEntityTooLarge, "request body is larger than %d bytes", n)
}

func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.Is(err, io.EOF):
		return errs.BadRequest("request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.BadRequest("malformed JSON: unexpected end of input")
	case errors.As(err, &mbe):
		return tooLarge(maxJSONBody)
	case errors.As(err, &syn):
		return errs.BadRequest("malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errs.BadRequest("request body must be a JSON object, not %s", typ.Value)
		}
		return errs.BadRequest("field %q must be %s, not %s", typ.Field, jsonType(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errs.BadRequest("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errs.BadRequest("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "ptr":
		return "a value of another type"
	}
	if strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float") {
		return "a number"
	}
	return fmt.Sprintf("a %s", kind)
}
