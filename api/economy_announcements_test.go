package api_test

import (
	"net/http"
	"testing"
	"time"
)

type announcementResp struct {
	ID, URI, Kind, Purpose, State, Relay string
	Price                                *struct{ Value, Currency string }
	Claims                               []string
	Entries                              []struct{ Kind string }
	Paid                                 *struct{ Minor int64 }
}

// TestAnnouncementsAPI: an organization's admin publishes a job and a bounty
// to a community that does not recognise it; both are held; the refusals
// (not an admin, bad money, a stranger listing or deciding held ones); the
// maintainer approves one; a contribution claims the bounty, is accepted,
// the bounty closes with its payout in the ledgers; the organization
// confirms the payment. Every response is checked against openapi.json.
func TestAnnouncementsAPI(t *testing.T) {
	inst := start(t)
	tess := userWithToken(t, inst, "tess", "member")
	milo := userWithToken(t, inst, "milo", "member")
	newCommunity(t, inst, milo, "seeds", nil)
	expect(t, call(t, inst, "POST", "/api/v1/organizations", tess, map[string]any{"handle": "coop", "kind": "coalition"}), http.StatusCreated)

	job := map[string]any{"as": "coop", "kind": "job", "title": "Seed librarian", "body": "Catalogue the seeds.",
		"for_whom": "seed savers", "price": "25.50", "currency": "EUR", "at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
		"link": "https://coop.example/jobs/1", "communities": []string{"seeds"}}
	for _, tc := range []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"anonymous", "", job, http.StatusUnauthorized},
		{"not an admin", milo, job, http.StatusForbidden},
		{"exponent", tess, with(job, "price", "1e3"), http.StatusUnprocessableEntity},
		{"unknown kind", tess, with(job, "kind", "raffle"), http.StatusUnprocessableEntity},
		{"bounty without payout", tess, with(with(job, "kind", "bounty"), "price", ""), http.StatusUnprocessableEntity},
		{"unknown field", tess, with(job, "partner", true), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", "/api/v1/announcements", tc.token, tc.body), tc.status)
		})
	}
	r := call(t, inst, "POST", "/api/v1/announcements", tess, job)
	expect(t, r, http.StatusCreated)
	var a announcementResp
	r.json(t, &a)
	if a.Kind != "job" || a.Purpose != "request" || a.Price == nil || a.Price.Value != "25.50" {
		t.Fatalf("job = %+v", a)
	}
	r = call(t, inst, "POST", "/api/v1/announcements", tess, with(with(job, "kind", "bounty"), "title", "Catalogue 2026"))
	expect(t, r, http.StatusCreated)
	var b announcementResp
	r.json(t, &b)

	expect(t, call(t, inst, "GET", "/api/v1/organizations/coop/announcements?kind=bounty", "", nil), http.StatusOK)
	expect(t, call(t, inst, "GET", "/api/v1/communities/seeds/announcements?state=held", tess, nil), http.StatusForbidden)
	r = call(t, inst, "GET", "/api/v1/communities/seeds/announcements?state=held", milo, nil)
	expect(t, r, http.StatusOK)
	var held []announcementResp
	r.json(t, &held)
	if len(held) != 2 || held[0].Relay != "held" {
		t.Fatalf("held = %+v", held)
	}
	decide := "/api/v1/communities/seeds/announcements/" + a.ID + "/decision"
	expect(t, call(t, inst, "POST", decide, tess, map[string]any{"approve": true}), http.StatusForbidden)
	expect(t, call(t, inst, "POST", decide, milo, map[string]any{"approve": true}), http.StatusOK)
	expect(t, call(t, inst, "POST", decide, milo, map[string]any{"approve": false}), http.StatusConflict)
	r = call(t, inst, "GET", "/api/v1/communities/seeds/announcements", "", nil)
	expect(t, r, http.StatusOK)
	var announced []announcementResp
	r.json(t, &announced)
	if len(announced) != 1 || announced[0].ID != a.ID {
		t.Fatalf("announced = %+v", announced)
	}

	// The bounty: claimed by milo's contribution, accepted by milo.
	offer := map[string]any{"title": "Catalogue", "body": "All of it.", "kind": "knowledge", "bounty": a.ID}
	expect(t, call(t, inst, "POST", "/api/v1/communities/seeds/contributions", milo, offer), http.StatusUnprocessableEntity)
	r = call(t, inst, "POST", "/api/v1/communities/seeds/contributions", milo, with(offer, "bounty", b.URI))
	expect(t, r, http.StatusCreated)
	var co struct{ ID string }
	r.json(t, &co)
	expect(t, call(t, inst, "POST", "/api/v1/announcements/"+b.ID+"/confirm_payment", tess, nil), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "POST", "/api/v1/contributions/"+co.ID+"/accept", milo, nil), http.StatusOK)
	r = call(t, inst, "GET", "/api/v1/announcements/"+b.ID, "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &b)
	if b.State != "closed" || len(b.Claims) != 1 || len(b.Entries) != 2 || b.Entries[0].Kind != "payout" {
		t.Fatalf("claimed bounty = %+v", b)
	}
	expect(t, call(t, inst, "POST", "/api/v1/announcements/"+b.ID+"/confirm_payment", milo, nil), http.StatusForbidden)
	expect(t, call(t, inst, "POST", "/api/v1/announcements/"+b.ID+"/confirm_payment", tess, nil), http.StatusOK)
	expect(t, call(t, inst, "POST", "/api/v1/announcements/"+b.ID+"/confirm_payment", tess, nil), http.StatusConflict)
	for _, h := range []string{"coop", "seeds"} {
		r = call(t, inst, "GET", "/api/v1/funds/"+h, "", nil)
		expect(t, r, http.StatusOK)
		var l struct {
			Totals []struct {
				P struct{ Minor int64 } `json:"payouts"`
				D struct{ Minor int64 } `json:"paid"`
				N struct{ Minor int64 } `json:"pending_payouts"`
			}
		}
		r.json(t, &l)
		if len(l.Totals) != 1 || l.Totals[0].P.Minor != 2550 || l.Totals[0].D.Minor != 2550 || l.Totals[0].N.Minor != 0 {
			t.Errorf("%s totals = %+v", h, l.Totals)
		}
	}
}

// with is m with key set to v (a copy).
func with(m map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out[key] = v
	return out
}
