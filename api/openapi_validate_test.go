package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/commonsd/commonsd/api"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Every response an API test receives goes through send, which checks it against
// api/openapi.json with kin-openapi: the request's method and path must be an
// operation of the document, the status one of its documented responses, and the
// body valid against that response's schema (JSON Schema 2020-12, as OpenAPI 3.1
// has it). A test that probes an undocumented route on purpose says so with
// undocumented(req).

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

func openAPIRouter() (routers.Router, error) {
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPIDocument)
		if err != nil {
			specErr = err
			return
		}
		if specErr = doc.Validate(loader.Context); specErr != nil {
			return
		}
		closeObjects(doc)
		specRouter, specErr = gorillamux.NewRouter(doc)
	})
	return specRouter, specErr
}

// closeObjects makes every object schema of the document that does not say
// otherwise refuse properties it does not list, so a response carrying a field
// the document lacks fails the check: the document is the whole contract. (The
// published document leaves them open, so clients tolerate fields added later.)
// A schema under allOf cannot be closed by itself; its parent is closed with
// unevaluatedProperties instead, and the members stay open.
func closeObjects(doc *openapi3.T) {
	closed := false
	seen := map[*openapi3.Schema]bool{}
	members := map[*openapi3.Schema]bool{}
	var collect func(r *openapi3.SchemaRef)
	collect = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		for _, m := range s.AllOf {
			if m.Value != nil {
				members[m.Value] = true
			}
		}
		for _, p := range s.Properties {
			collect(p)
		}
		collect(s.Items)
		for _, l := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				collect(x)
			}
		}
		collect(s.AdditionalProperties.Schema)
	}
	for _, r := range doc.Components.Schemas {
		collect(r)
	}
	for _, p := range doc.Paths.Map() {
		for _, op := range p.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					collect(mt.Schema)
				}
			}
		}
	}
	for _, r := range doc.Components.Responses {
		if r.Value != nil {
			for _, mt := range r.Value.Content {
				collect(mt.Schema)
			}
		}
	}
	for s := range seen {
		switch {
		case len(s.AllOf) > 0 && s.UnevaluatedProperties.Has == nil && s.UnevaluatedProperties.Schema == nil:
			s.UnevaluatedProperties = openapi3.BoolSchema{Has: &closed}
		case members[s]:
		case len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil:
			s.AdditionalProperties = openapi3.BoolSchema{Has: &closed}
		}
	}
}

type undocumentedKey struct{}

// undocumented marks a request a test sends to a route the document does not
// have, on purpose (an unknown path, a wrong method): its response is not checked.
func undocumented(req *http.Request) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), undocumentedKey{}, true))
}

// reporter is the part of *testing.T the check uses.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// checkAgainstOpenAPI reports (as a test error) how a response of the API differs
// from api/openapi.json.
func checkAgainstOpenAPI(t reporter, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, api.Prefix+"/") || req.Context().Value(undocumentedKey{}) != nil {
		return
	}
	router, err := openAPIRouter()
	if err != nil {
		t.Errorf("api/openapi.json: %v", err)
		return
	}
	// The document's server is "/": match on the path alone.
	local := req.Clone(req.Context())
	local.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	local.Host = ""
	route, params, err := router.FindRoute(local)
	if err != nil {
		t.Errorf("%s %s is not an operation of api/openapi.json: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: local, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		t.Errorf("%s %s → %d does not match api/openapi.json: %v\nbody: %s", req.Method, req.URL.Path, status, err, truncate(body))
	}
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// TestOpenAPIValidationCatchesDrift: the check refuses an undocumented route, an
// undocumented status and a body that does not match its schema, and accepts a
// conforming response.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	get := func(path string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1"+path, nil)
		return r
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		req    *http.Request
		status int
		body   string
		ok     bool
	}{
		{"conforming error", get("/api/v1/accounts/nobody"), 404, `{"error":"no such account"}`, true},
		{"unknown route", get("/api/v1/nowhere"), 404, `{"error":"not found"}`, false},
		{"undocumented status", get("/api/v1/accounts/nobody"), 418, `{"error":"teapot"}`, false},
		{"body off schema", get("/api/v1/accounts/nobody"), 404, `{"message":"no such account"}`, false},
		{"conforming instance", get("/api/v1/instance"), 200, instanceJSON(""), true},
		{"undocumented field", get("/api/v1/instance"), 200, instanceJSON(`"extra": 1,`), false},
		{"opted out", undocumented(get("/api/v1/nowhere")), 404, `{"error":"not found"}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			checkAgainstOpenAPI(&rec, tc.req, tc.status, jsonHeader, []byte(tc.body))
			if (len(rec) == 0) != tc.ok {
				t.Fatalf("check reported %q, want ok=%v", rec, tc.ok)
			}
		})
	}
}

// instanceJSON is a conforming GET /api/v1/instance body, with extra spliced in.
func instanceJSON(extra string) string {
	return `{` + extra + `"domain": "x.test", "url": "https://x.test", "name": "x", "description": "",
		"version": "1", "registration_mode": "open", "contact": {"email": ""},
		"stats": {"users": 1, "active_month": 1, "active_halfyear": 1, "communities": 0, "local_posts": 0}}`
}

// recorder collects what the check reports.
type recorder []string

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	*r = append(*r, fmt.Sprintf(format, args...))
}
