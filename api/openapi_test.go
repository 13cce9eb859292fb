package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/api"
)

type openAPIOperation struct {
	OperationID string                      `json:"operationId"`
	Security    *[]map[string][]string      `json:"security"`
	Parameters  []struct{ Name, In string } `json:"parameters"`
	Responses   map[string]json.RawMessage  `json:"responses"`
}

type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		Schemas         map[string]json.RawMessage               `json:"schemas"`
	} `json:"components"`
}

var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// TestOpenAPIMatchesRoutes keeps the document and the router equal in both
// directions, so neither can drift from the other.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	inst := start(t)
	r := call(t, inst, "GET", "/api/v1/openapi.json", "", nil)
	expect(t, r, http.StatusOK)
	if string(r.Body) != string(api.OpenAPIDocument) {
		t.Fatal("served document differs from the embedded one")
	}
	var doc openAPIDoc
	r.json(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Fatalf("bearerAuth scheme %+v", s)
	}
	if _, ok := doc.Components.Schemas["Error"]; !ok {
		t.Fatal("no Error schema")
	}

	routes := map[string]bool{}
	for _, rt := range inst.App.Echo.Routes() {
		if !strings.HasPrefix(rt.Path, api.Prefix+"/") {
			continue
		}
		routes[rt.Method+" "+echoParam.ReplaceAllString(rt.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", key)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %s used by %s and %s", op.OperationID, prev, key)
			}
			ids[op.OperationID] = key
			if op.Security == nil {
				t.Errorf("%s: security not stated", key)
			} else if len(*op.Security) > 0 {
				if _, ok := op.Responses["401"]; !ok {
					t.Errorf("%s: authenticated but no 401 response", key)
				}
			}
			for _, name := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
				found := false
				for _, p := range op.Parameters {
					found = found || (p.In == "path" && p.Name == name[1])
				}
				if !found {
					t.Errorf("%s: path parameter %s not declared", key, name[1])
				}
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", key)
			}
		}
	}
	for k := range routes {
		if !documented[k] {
			t.Errorf("route %s is not in api/openapi.json", k)
		}
	}
	for k := range documented {
		if !routes[k] {
			t.Errorf("api/openapi.json documents %s, which is not registered", k)
		}
	}
	if len(routes) < 15 {
		t.Errorf("only %d routes under %s", len(routes), api.Prefix)
	}
}

// TestOpenAPIRefsResolve checks that every $ref points at something.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatalf("api/openapi.json is not JSON: %v", err)
	}
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if s, ok := c.(string); ok && k == "$ref" {
					refs = append(refs, s)
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	sort.Strings(refs)
	if len(refs) == 0 {
		t.Fatal("no $refs at all")
	}
	for _, ref := range refs {
		if !strings.HasPrefix(ref, "#/") {
			t.Errorf("external $ref %q", ref)
			continue
		}
		var cur any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := cur.(map[string]any)
			if !ok {
				cur = nil
				break
			}
			cur = m[part]
		}
		if cur == nil {
			t.Errorf("$ref %q does not resolve", ref)
		}
	}
}
