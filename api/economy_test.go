package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

type money struct {
	Value, Currency, Display string
	Minor                    int64
}

type appeal struct {
	ID, URI, State, Hashtag string
	Goal, Raised, Pledged   money
	PledgeCount             int64 `json:"pledge_count"`
	Percent                 int64
}

// TestEconomyAPI: a foundation, an appeal, pledges, a receipt, the ledger in
// JSON and CSV with the same totals, and the refusals (every response checked
// against openapi.json).
func TestEconomyAPI(t *testing.T) {
	inst := start(t)
	tess := userWithToken(t, inst, "tess", "member")
	milo := userWithToken(t, inst, "milo", "member")

	for _, tc := range []struct {
		name   string
		token  string
		body   any
		status int
	}{
		{"anonymous", "", map[string]any{"handle": "fund", "kind": "foundation"}, http.StatusUnauthorized},
		{"bad kind", tess, map[string]any{"handle": "fund", "kind": "bank"}, http.StatusUnprocessableEntity},
		{"unknown field", tess, map[string]any{"handle": "fund", "kind": "foundation", "colour": "red"}, http.StatusBadRequest},
		{"taken handle", tess, map[string]any{"handle": "milo", "kind": "foundation"}, http.StatusConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", "/api/v1/organizations", tc.token, tc.body), tc.status)
		})
	}
	r := call(t, inst, "POST", "/api/v1/organizations", tess, map[string]any{"handle": "fund", "name": "Seed Fund",
		"kind": "foundation", "payment_links": []map[string]string{{"name": "Liberapay", "value": "https://liberapay.com/fund"}}})
	expect(t, r, http.StatusCreated)
	expect(t, call(t, inst, "GET", "/api/v1/organizations/fund", "", nil), http.StatusOK)
	expect(t, call(t, inst, "POST", "/api/v1/organizations/fund/admins", milo, map[string]any{"handle": "milo"}), http.StatusForbidden)

	ends := time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"not admin", milo, map[string]any{"as": "fund", "title": "x", "goal": "100", "currency": "EUR", "ends_at": ends}, http.StatusForbidden},
		{"float goal", tess, map[string]any{"as": "fund", "title": "x", "goal": "1.5e3", "currency": "EUR", "ends_at": ends}, http.StatusUnprocessableEntity},
		{"number goal", tess, map[string]any{"as": "fund", "title": "x", "goal": 100, "currency": "EUR", "ends_at": ends}, http.StatusBadRequest},
		{"unknown currency", tess, map[string]any{"as": "fund", "title": "x", "goal": "100", "currency": "EUX", "ends_at": ends}, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", "/api/v1/appeals", tc.token, tc.body), tc.status)
		})
	}
	r = call(t, inst, "POST", "/api/v1/appeals", tess, map[string]any{"as": "fund", "title": "Servers", "purpose": "Hosting.",
		"goal": "10000", "currency": "EUR", "ends_at": ends, "tiers": []map[string]any{{"name": "Friend", "amount": "10", "monthly": true}}})
	expect(t, r, http.StatusCreated)
	var a appeal
	r.json(t, &a)
	if a.State != "open" || a.Goal.Value != "10000.00" || a.Goal.Display != "€10,000" || a.Hashtag != "FundingAppeal" {
		t.Fatalf("appeal %+v", a)
	}
	pledges := "/api/v1/appeals/" + a.ID + "/pledges"
	for _, tc := range []struct {
		name string
		body map[string]any
		want int
	}{
		{"negative", map[string]any{"amount": "-5"}, http.StatusUnprocessableEntity},
		{"zero", map[string]any{"amount": "0.00"}, http.StatusUnprocessableEntity},
		{"exponent", map[string]any{"amount": "5e2"}, http.StatusUnprocessableEntity},
		{"over-precise", map[string]any{"amount": "5.005"}, http.StatusUnprocessableEntity},
		{"other currency", map[string]any{"amount": "5", "currency": "USD"}, http.StatusUnprocessableEntity},
		{"json number", map[string]any{"amount": 5}, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", pledges, milo, tc.body), tc.want)
		})
	}
	r = call(t, inst, "POST", pledges, milo, map[string]any{"amount": "2350", "message": "for the servers"})
	expect(t, r, http.StatusCreated)
	var pl struct{ ID string }
	r.json(t, &pl)
	expect(t, call(t, inst, "POST", pledges, milo, map[string]any{"amount": "50", "anonymous": true}), http.StatusCreated)
	expect(t, call(t, inst, "GET", pledges, "", nil), http.StatusOK)
	expect(t, call(t, inst, "POST", "/api/v1/funds/fund/receipts", milo, map[string]any{"pledge_id": pl.ID, "amount": "2350", "currency": "EUR"}), http.StatusForbidden)
	r = call(t, inst, "POST", "/api/v1/funds/fund/receipts", tess, map[string]any{"pledge_id": pl.ID, "amount": "2350", "currency": "EUR"})
	expect(t, r, http.StatusCreated)
	var receipt struct{ ID string }
	r.json(t, &receipt)
	expect(t, call(t, inst, "POST", "/api/v1/funds/fund/disbursements", tess, map[string]any{"to": "milo", "amount": "3000", "currency": "EUR"}), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", "/api/v1/funds/fund/disbursements", tess, map[string]any{"to": "milo", "amount": "350", "currency": "EUR"}), http.StatusCreated)

	r = call(t, inst, "GET", "/api/v1/appeals/"+a.ID, "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &a)
	if a.Raised.Value != "2350.00" || a.Pledged.Value != "2400.00" || a.PledgeCount != 2 || a.Percent != 23 {
		t.Fatalf("appeal totals %+v", a)
	}
	r = call(t, inst, "GET", "/api/v1/funds/fund", "", nil)
	expect(t, r, http.StatusOK)
	var led struct {
		Totals []struct {
			Raised, Disbursed, Balance money
		}
		Total int64 `json:"total_entries"`
	}
	r.json(t, &led)
	if len(led.Totals) != 1 || led.Totals[0].Raised.Value != "2350.00" || led.Totals[0].Balance.Value != "2000.00" || led.Total != 4 {
		t.Fatalf("ledger %+v", led)
	}
	r = call(t, inst, "GET", "/api/v1/funds/fund/ledger.csv", "", nil)
	expect(t, r, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
	if len(lines) != 5 || !strings.Contains(string(r.Body), ",2350.00,EUR,") {
		t.Fatalf("csv:\n%s", r.Body)
	}
	r = call(t, inst, "POST", "/api/v1/ledger_entries/"+receipt.ID+"/correct", tess, map[string]any{"note": "bounced"})
	expect(t, r, http.StatusCreated)
	expect(t, call(t, inst, "POST", "/api/v1/ledger_entries/"+receipt.ID+"/correct", tess, map[string]any{"note": "again"}), http.StatusConflict)
	r = call(t, inst, "GET", "/api/v1/appeals/"+a.ID+"/ledger", "", nil)
	expect(t, r, http.StatusOK)
	expect(t, call(t, inst, "GET", "/api/v1/appeals/"+a.ID+"/ledger.csv", "", nil), http.StatusOK)
	r = call(t, inst, "GET", "/api/v1/appeals?status=open&currency=EUR", "", nil)
	expect(t, r, http.StatusOK)
	var list []appeal
	r.json(t, &list)
	if len(list) != 1 || list[0].Raised.Value != "0.00" {
		t.Fatalf("directory after the correction: %+v", list)
	}
	expect(t, call(t, inst, "GET", "/api/v1/appeals?status=sleeping", "", nil), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", "/api/v1/appeals/"+a.ID+"/cancel", milo, nil), http.StatusForbidden)
	expect(t, call(t, inst, "POST", "/api/v1/appeals/"+a.ID+"/cancel", tess, nil), http.StatusOK)
	expect(t, call(t, inst, "POST", pledges, milo, map[string]any{"amount": "5"}), http.StatusUnprocessableEntity)
}
