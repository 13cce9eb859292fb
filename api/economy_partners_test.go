package api_test

import (
	"net/http"
	"testing"
)

type partnershipResp struct {
	ID, State, Pledge, Terms string
	Organization             struct{ URI, Handle string }
	Measurable               struct {
		Monthly        struct{ Value, Currency string }
		HoursPerMonth  int    `json:"hours_per_month"`
		RevenuePercent string `json:"revenue_percent"`
	}
	Months []struct {
		Month     string
		Pledged   struct{ Minor int64 }
		Delivered struct{ Minor int64 }
		Met       bool
	}
}

// TestPartnershipsAPI: an organization asks, the refusals (not an admin, a
// duplicate, a non-steward deciding), the steward accepts, the community's
// partners list shows it, the organization ends it, ending twice is 409.
// Every response is checked against openapi.json.
func TestPartnershipsAPI(t *testing.T) {
	inst := start(t)
	tess := userWithToken(t, inst, "tess", "member")
	milo := userWithToken(t, inst, "milo", "member")
	newCommunity(t, inst, milo, "seeds", nil)
	expect(t, call(t, inst, "POST", "/api/v1/organizations", tess, map[string]any{"handle": "coop", "kind": "coalition"}), http.StatusCreated)

	ask := map[string]any{"as": "coop", "community": "seeds", "pledge": "We give back.", "terms": "5 % of revenue; 10 hours a month",
		"measurable": map[string]any{"amount": "100", "currency": "EUR", "hours": "10", "percent": "5"}}
	for _, tc := range []struct {
		name   string
		token  string
		body   any
		status int
	}{
		{"anonymous", "", ask, http.StatusUnauthorized},
		{"not an admin", milo, ask, http.StatusForbidden},
		{"no terms", tess, map[string]any{"as": "coop", "community": "seeds", "pledge": "x", "terms": ""}, http.StatusUnprocessableEntity},
		{"hours not a whole number", tess, map[string]any{"as": "coop", "community": "seeds", "pledge": "x", "terms": "y",
			"measurable": map[string]any{"hours": "1.5"}}, http.StatusUnprocessableEntity},
		{"amount in an unknown currency", tess, map[string]any{"as": "coop", "community": "seeds", "pledge": "x", "terms": "y",
			"measurable": map[string]any{"amount": "5", "currency": "ZZZ"}}, http.StatusUnprocessableEntity},
		{"unknown community", tess, map[string]any{"as": "coop", "community": "nope", "pledge": "x", "terms": "y"}, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", "/api/v1/partnerships", tc.token, tc.body), tc.status)
		})
	}
	r := call(t, inst, "POST", "/api/v1/partnerships", tess, ask)
	expect(t, r, http.StatusCreated)
	var p partnershipResp
	r.json(t, &p)
	if p.State != "requested" || p.Terms != "5 % of revenue; 10 hours a month" || p.Measurable.Monthly.Value != "100.00" ||
		p.Measurable.Monthly.Currency != "EUR" || p.Measurable.HoursPerMonth != 10 || p.Measurable.RevenuePercent != "5.00" {
		t.Fatalf("request = %+v", p)
	}
	expect(t, call(t, inst, "POST", "/api/v1/partnerships", tess, ask), http.StatusConflict)
	expect(t, call(t, inst, "GET", "/api/v1/communities/seeds/partnerships?state=requested", "", nil), http.StatusOK)
	expect(t, call(t, inst, "GET", "/api/v1/communities/seeds/partnerships?state=bogus", "", nil), http.StatusBadRequest)
	expect(t, call(t, inst, "POST", "/api/v1/partnerships/"+p.ID+"/decision", tess, map[string]any{"accept": true}), http.StatusForbidden)
	r = call(t, inst, "POST", "/api/v1/partnerships/"+p.ID+"/decision", milo, map[string]any{"accept": true})
	expect(t, r, http.StatusOK)
	r.json(t, &p)
	if p.State != "active" {
		t.Fatalf("accepted = %+v", p)
	}
	r = call(t, inst, "GET", "/api/v1/communities/seeds/partnerships", "", nil)
	expect(t, r, http.StatusOK)
	var list []partnershipResp
	r.json(t, &list)
	if len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("partners = %+v", list)
	}
	r = call(t, inst, "GET", "/api/v1/partnerships/"+p.ID, "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &p)
	if len(p.Months) != 1 || p.Months[0].Pledged.Minor != 10000 || p.Months[0].Delivered.Minor != 0 || p.Months[0].Met {
		t.Fatalf("months = %+v", p.Months)
	}
	expect(t, call(t, inst, "POST", "/api/v1/partnerships/"+p.ID+"/end", tess, nil), http.StatusOK)
	expect(t, call(t, inst, "POST", "/api/v1/partnerships/"+p.ID+"/end", milo, nil), http.StatusConflict)
}
