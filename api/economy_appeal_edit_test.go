package api_test

import (
	"net/http"
	"testing"
	"time"
)

// TestEditAppealAPI: PUT /api/v1/appeals/{id} by the author's admins; goal
// and currency only before the first pledge; nobody else; not once cancelled
// (every response checked against openapi.json).
func TestEditAppealAPI(t *testing.T) {
	inst := start(t)
	tess := userWithToken(t, inst, "tess", "member")
	milo := userWithToken(t, inst, "milo", "member")
	expect(t, call(t, inst, "POST", "/api/v1/organizations", tess, map[string]any{"handle": "fund", "kind": "foundation"}), http.StatusCreated)
	ends := time.Now().Add(10 * 24 * time.Hour).UTC()
	r := call(t, inst, "POST", "/api/v1/appeals", tess, map[string]any{"as": "fund", "title": "Servers", "goal": "1000", "currency": "EUR",
		"ends_at": ends.Format(time.RFC3339)})
	expect(t, r, http.StatusCreated)
	var a appeal
	r.json(t, &a)
	path := "/api/v1/appeals/" + a.ID
	later := ends.Add(5 * 24 * time.Hour).Format(time.RFC3339)
	edit := map[string]any{"title": "Servers and backups", "purpose": "Two years.", "ends_at": later, "goal": "2000", "currency": "CHF",
		"tiers": []map[string]any{{"name": "Friend", "amount": "10", "monthly": true}}}
	for _, tc := range []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"anonymous", "", edit, http.StatusUnauthorized},
		{"not an admin", milo, edit, http.StatusForbidden},
		{"earlier deadline", tess, map[string]any{"title": "x", "ends_at": ends.Add(-time.Hour).Format(time.RFC3339)}, http.StatusUnprocessableEntity},
		{"float goal", tess, map[string]any{"title": "x", "goal": "2e3", "currency": "EUR"}, http.StatusUnprocessableEntity},
		{"unknown field", tess, map[string]any{"title": "x", "as": "fund"}, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) { expect(t, call(t, inst, "PUT", path, tc.token, tc.body), tc.status) })
	}
	r = call(t, inst, "PUT", path, tess, edit)
	expect(t, r, http.StatusOK)
	r.json(t, &a)
	if a.Goal.Value != "2000.00" || a.Goal.Currency != "CHF" {
		t.Fatalf("edited %+v", a)
	}
	expect(t, call(t, inst, "POST", path+"/pledges", milo, map[string]any{"amount": "20"}), http.StatusCreated)
	expect(t, call(t, inst, "PUT", path, tess, map[string]any{"title": "x", "goal": "3000", "currency": "CHF"}), http.StatusConflict)
	expect(t, call(t, inst, "PUT", path, tess, map[string]any{"title": "Servers, backups, mirrors"}), http.StatusOK)
	expect(t, call(t, inst, "POST", path+"/cancel", tess, nil), http.StatusOK)
	expect(t, call(t, inst, "PUT", path, tess, map[string]any{"title": "Too late"}), http.StatusConflict)
}
