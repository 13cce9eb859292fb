package api_test

import (
	"testing"
)

func TestAdminInstanceSettingsAPI(t *testing.T) {
	inst := start(t)
	adm := userWithToken(t, inst, "boss", "admin")
	mod := userWithToken(t, inst, "mod", "moderator")
	body := map[string]any{"name": "Seeds", "description": "d", "rules": []string{"Be kind"}, "contact": "a@example.org", "terms": "t"}
	expect(t, call(t, inst, "PUT", "/api/v1/admin/instance", mod, body), 403)
	expect(t, call(t, inst, "PUT", "/api/v1/admin/instance", adm, map[string]any{"name": "", "description": "", "rules": []string{}, "contact": "x", "terms": ""}), 422)
	expect(t, call(t, inst, "PUT", "/api/v1/admin/instance", adm, body), 200)
	r := call(t, inst, "GET", "/api/v1/admin/instance", mod, nil)
	expect(t, r, 200)
	var got struct {
		Name  string
		Rules []string
	}
	r.json(t, &got)
	if got.Name != "Seeds" || len(got.Rules) != 1 {
		t.Fatalf("%s", r.Body)
	}
	r = call(t, inst, "GET", "/nodeinfo/2.1", "", nil)
	var ni struct {
		Metadata struct {
			NodeName string
			Rules    []string
		}
	}
	r.json(t, &ni)
	_ = ni // NodeInfo is refreshed at most once a minute: its content is checked in federation's tests
}
