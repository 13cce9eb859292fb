package frontend

import (
	"errors"
	"mime"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// CSRF protection of the web UI is one middleware, not a call in each handler:
// every route the frontend registers goes through router, which puts csrf on it,
// and csrf checks the form token of every unsafe method (POST, PUT, PATCH,
// DELETE) before the handler runs. A new route cannot forget it, and a test walks
// the registered routes to prove it (TestEveryUnsafeRouteChecksCSRF). The JSON API
// (bearer tokens, no cookies) and the ActivityPub inboxes (HTTP signatures) are
// registered by their own packages and are not touched.
//
// The token scheme is ours (session.go): the session's synchronizer token when
// logged in, a double-submit cookie before. echo's middleware.CSRF only knows the
// second, so it is not used.

// Form body caps. The middleware reads the whole form to find the token, so it is
// the one that bounds the body: maxFormBytes for every form, unless the route
// declares an upload cap (uploadRoute).
const (
	maxFormBytes  = 2 << 20 // a 50 000-character body, percent-encoded, fits
	formMemory    = 1 << 20 // multipart parts beyond this go to temporary files
	ctxUploadSpec = "frontend.upload"
)

// router registers the frontend's routes on echo with the CSRF middleware. It
// embeds *echo.Echo, so Routes and the safe methods work as usual; every method
// that can register an unsafe route is wrapped.
type router struct {
	*echo.Echo
	csrf echo.MiddlewareFunc
}

// with runs the route's own middleware (upload caps) first, then csrf.
func (r router) with(m []echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append(append([]echo.MiddlewareFunc{}, m...), r.csrf)
}

func (r router) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.Echo.POST(path, h, r.with(m)...)
}

func (r router) PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.Echo.PUT(path, h, r.with(m)...)
}

func (r router) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.Echo.PATCH(path, h, r.with(m)...)
}

func (r router) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.Echo.DELETE(path, h, r.with(m)...)
}

func (r router) Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route {
	return r.Echo.Any(path, h, r.with(m)...)
}

func (r router) Match(methods []string, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route {
	return r.Echo.Match(methods, path, h, r.with(m)...)
}

func (r router) Add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.Echo.Add(method, path, h, r.with(m)...)
}

// uploadSpec is what an upload route declares: its body cap, and what to answer
// when the body is over it (the form again with the error, changing nothing: the
// token of a cut-off form cannot be read).
type uploadSpec struct {
	max    func() int64
	tooBig func(c echo.Context) error
}

// uploadRoute declares a multipart upload route's body cap for the CSRF
// middleware, which reads the form.
func uploadRoute(max func() int64, tooBig func(c echo.Context) error) echo.MiddlewareFunc {
	spec := &uploadSpec{max: max, tooBig: tooBig}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(ctxUploadSpec, spec)
			return next(c)
		}
	}
}

// csrfMiddleware reads the form of an unsafe request (urlencoded or multipart,
// within the route's cap) and refuses it with 403 unless it carries this browser's
// token in its body; a token in the query string does not count (URLs leak).
func (w *Web) csrfMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		limit := int64(maxFormBytes)
		spec, _ := c.Get(ctxUploadSpec).(*uploadSpec)
		if spec != nil {
			limit = spec.max()
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		var err error
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			err = r.ParseMultipartForm(formMemory)
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig) && spec != nil && spec.tooBig != nil:
				return spec.tooBig(c)
			case errors.As(err, &tooBig):
				return errs.New(http.StatusRequestEntityTooLarge, "the form is larger than %s", humanBytes(limit))
			}
			return errs.BadRequest("could not read the form")
		}
		if err := w.checkCSRF(c); err != nil {
			return err
		}
		return next(c)
	}
}
